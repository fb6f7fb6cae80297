"""Gaussian-process Bayesian optimization (registered as ``bo``)."""
