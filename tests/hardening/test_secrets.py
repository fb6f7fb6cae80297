"""Issue 21, cases 1 and 3: passwords are never shown, trials get none, trial files are private."""
import os
import stat
import sys

import pytest

from hypersweep.storage.urls import mask_password

from .conftest import invoke, sweep_file


def test_mask_password_hides_parsable_and_unparsable_urls():
    assert mask_password("postgresql://hs:secret@host:5499/db") == "postgresql://hs:***@host:5499/db"
    assert "secret" not in mask_password("error: 'post gresql://hs:secret@h/db' (x)")
    assert mask_password("hypersweep.db") == "hypersweep.db"


def test_unparsable_storage_url_is_not_echoed(workdir):
    result = invoke("ls", "--storage", "post gresql://hs:secret@h/db")
    assert result.exit_code == 2
    assert "secret" not in result.output and "hs:***@" in result.stderr


def test_unparsable_storage_in_a_sweep_file_is_not_echoed(workdir):
    (workdir / "s.yaml").write_text(sweep_file(extra="storage: postgresql://hs:secret@h:notaport/db\n"))
    result = invoke("run", "s.yaml", "--no-progress")
    assert result.exit_code == 2 and "secret" not in result.output
    assert result.stderr.startswith("error: storage:") and not (workdir / "hypersweep.db").exists()


@pytest.mark.postgres
def test_ls_of_an_empty_postgres_store_hides_the_password(workdir, postgres_url):
    result = invoke("ls", "--storage", postgres_url)
    assert result.exit_code == 0, result.output
    assert "no sweeps in postgresql" in result.stdout and ":hypersweep@" not in result.output


def test_shell_trials_get_no_password_and_private_files(workdir, postgres_url_or_none):
    (workdir / "show_env.py").write_text(
        "import os\nprint(os.environ['HYPERSWEEP_STORAGE'])\nprint('hypersweep.metric {\"loss\": 1}')\n"
    )
    storage = postgres_url_or_none or str(workdir / "hypersweep.db")
    (workdir / "s.yaml").write_text(sweep_file(run=f"cmd: {sys.executable} show_env.py",
                                               settings="random_search: {n_experiments: 1}"))
    old = os.umask(0o022)
    try:
        result = invoke("run", "s.yaml", "--no-progress", "--storage", storage)
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    folder = workdir / "hypersweep-runs" / "quad" / "trial-00000"
    seen = (folder / "stdout.log").read_text()
    if postgres_url_or_none:
        assert ":hypersweep@" not in seen and ":***@" in seen
    for path in (workdir / "hypersweep-runs", folder.parent, folder):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path
    for name in ("stdout.log", "stderr.log", "params.json", "metrics.jsonl"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600, name


@pytest.fixture
def postgres_url_or_none(request):
    """A fresh PostgreSQL store's URL (with its password) when one is configured, else None."""
    return request.getfixturevalue("postgres_url") if os.environ.get("HYPERSWEEP_TEST_POSTGRES_URL") else None
