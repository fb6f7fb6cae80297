"""PyTorch Lightning pruning: ``Trainer(callbacks=[LightningPruningCallback(trial, "val_loss")])``."""
from __future__ import annotations

import lightning.pytorch as pl

from hypersweep.integration.pruning import PruningReporter, Reportable


class LightningPruningCallback(pl.Callback):
    """Reports ``monitor`` (a name given to ``self.log``) after each validation; stops the trainer when pruned."""

    def __init__(self, trial: Reportable, monitor: str) -> None:
        super().__init__()
        self.reporter = PruningReporter(trial, monitor)

    def on_validation_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if trainer.sanity_checking:
            return
        metrics = trainer.callback_metrics
        if self.reporter.monitor not in metrics:
            raise self.reporter.missing(metrics)
        if self.reporter.report(trainer.current_epoch, float(metrics[self.reporter.monitor])):
            trainer.should_stop = True
