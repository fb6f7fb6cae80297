"""Keras 3 pruning: ``model.fit(..., callbacks=[KerasPruningCallback(trial, "val_loss")])``.

Any Keras backend works; with the pinned CPU torch use ``KERAS_BACKEND=torch`` (no TensorFlow).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import keras

from hypersweep.integration.pruning import PruningReporter, Reportable


class KerasPruningCallback(keras.callbacks.Callback):
    """Reports ``monitor`` (a key of Keras's epoch logs) each epoch; stops ``fit`` when pruned."""

    def __init__(self, trial: Reportable, monitor: str) -> None:
        super().__init__()
        self.reporter = PruningReporter(trial, monitor)

    def on_epoch_end(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        logs = logs or {}
        if self.reporter.monitor not in logs:
            raise self.reporter.missing(logs)
        if self.reporter.report(epoch, float(logs[self.reporter.monitor])):
            self.model.stop_training = True
