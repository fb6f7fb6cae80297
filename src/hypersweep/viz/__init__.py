"""Plots: pure plot data (``history``) and its rendering with matplotlib (``render``); the Pareto
front and hypervolume of a multi-objective sweep (``pareto``)."""
from hypersweep.viz.history import HistorySeries, history_series
from hypersweep.viz.pareto import front_table, plot_pareto
from hypersweep.viz.render import plot_history

__all__ = ["HistorySeries", "front_table", "history_series", "plot_history", "plot_pareto"]
