from hypersweep.records import Direction, Metric, Trial, TrialState
from hypersweep.viz import history_series, plot_history


def _trials():
    return [
        Trial(0, {}, TrialState.COMPLETED, value=3.0),
        Trial(1, {}, TrialState.FAILED, error="x"),
        Trial(2, {}, TrialState.COMPLETED, value=1.0),
        Trial(3, {}, TrialState.COMPLETED, value=2.0),
        Trial(4, {}, TrialState.RUNNING),
        Trial(5, {}, TrialState.COMPLETED, value=5.0),
    ]


def test_best_so_far_follows_direction():
    low = history_series(_trials(), Direction.MINIMIZE)
    assert low.ids == (0, 2, 3, 5)
    assert low.values == (3.0, 1.0, 2.0, 5.0)
    assert low.best == (3.0, 1.0, 1.0, 1.0)
    assert low.failed_ids == (1,)
    high = history_series(_trials(), Direction.MAXIMIZE)
    assert high.best == (3.0, 3.0, 3.0, 5.0)


def test_plot_writes_png(tmp_path):
    series = history_series(_trials(), Direction.MINIMIZE)
    out = plot_history({"a": series, "b": series}, Metric("loss"), tmp_path / "sub" / "h.png")
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000


def test_plot_of_empty_history(tmp_path):
    series = history_series([], Direction.MINIMIZE)
    assert plot_history({"empty": series}, Metric("loss"), tmp_path / "e.png").exists()
