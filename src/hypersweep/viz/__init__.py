"""Plots: pure plot data (``history``) and its rendering with matplotlib (``render``)."""
from hypersweep.viz.history import HistorySeries, history_series
from hypersweep.viz.render import plot_history

__all__ = ["HistorySeries", "history_series", "plot_history"]
