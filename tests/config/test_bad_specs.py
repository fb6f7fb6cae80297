"""The malformed-spec corpus: every file gives exit code 2, one line, no traceback, no store."""
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hypersweep.cli.main import cli

CORPUS = Path(__file__).resolve().parents[1] / "data" / "bad_specs"
FILES = sorted(CORPUS.glob("*.yaml"))


def test_the_corpus_is_large_enough():
    assert len(FILES) >= 50


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_bad_spec_exits_2_with_one_line_and_writes_nothing(path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["run", str(path), "--no-progress"], catch_exceptions=False)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []  # no hypersweep.db, no run folder


@pytest.mark.slow
@pytest.mark.parametrize("name", ["python_object_tag", "billion_laughs", "duplicate_param", "n_experiments_zero"])
def test_bad_spec_in_a_real_process(name, tmp_path):
    db = tmp_path / "existing.db"
    process = subprocess.run(
        [sys.executable, "-m", "hypersweep.cli", "run", str(CORPUS / f"{name}.yaml"), "--storage", str(db)],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )
    assert process.returncode == 2
    assert "Traceback" not in process.stderr
    assert len(process.stderr.strip().splitlines()) == 1
    assert not db.exists() and list(tmp_path.iterdir()) == []
