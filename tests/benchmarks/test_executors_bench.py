"""The executors benchmark runs end to end (local processes only, tiny sizes) and writes its table."""
import json

from benchmarks import executors


def test_the_executors_benchmark_writes_its_table_and_meta(tmp_path, capsys):
    argv = ["--executors", "process", "--algorithms", "random", "--workers", "1", "2",
            "--trials", "4", "--duration", "0.05", "--out", str(tmp_path)]
    assert executors.main(argv) == 0
    table = (tmp_path / "table.md").read_text()
    rows = [line for line in table.splitlines() if line.startswith("| process | random |")]
    assert len(rows) == 2
    efficiency = [float(row.split("|")[5]) for row in rows]
    assert all(0 < e <= 1.0 for e in efficiency)
    meta = json.loads((tmp_path / "meta.json").read_text())
    assert meta["command"].startswith("python -m benchmarks.executors --executors process")
    assert "| process | 0.00 |" in capsys.readouterr().out
