"""Prune PyTorch Lightning trainings epoch by epoch (pip install hypersweep[lightning])."""
import lightning.pytorch as pl
import torch

import hypersweep as hs
from hypersweep.integration.lightning import LightningPruningCallback

torch.manual_seed(0)
X = torch.randn(256, 8)
Y = X @ torch.randn(8, 1) + 0.1 * torch.randn(256, 1)


class Regressor(pl.LightningModule):
    def __init__(self, units: int, lr: float) -> None:
        super().__init__()
        self.lr = lr
        self.net = torch.nn.Sequential(torch.nn.Linear(8, units), torch.nn.ReLU(), torch.nn.Linear(units, 1))

    def training_step(self, batch, _):
        x, y = batch
        return torch.nn.functional.mse_loss(self.net(x), y)

    def validation_step(self, batch, _):
        x, y = batch
        self.log("val_loss", torch.nn.functional.mse_loss(self.net(x), y))

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.lr)


def loader(rows: slice) -> torch.utils.data.DataLoader:
    return torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X[rows], Y[rows]), batch_size=32)


def objective(params, trial):
    torch.set_num_threads(1)
    trainer = pl.Trainer(max_epochs=5, accelerator="cpu", logger=False, enable_checkpointing=False,
                         enable_progress_bar=False, enable_model_summary=False,
                         callbacks=[LightningPruningCallback(trial, "val_loss")])
    trainer.fit(Regressor(**params), loader(slice(0, 192)), loader(slice(192, None)))
    return trainer.callback_metrics["val_loss"].item()


space = hs.Space({"lr": hs.loguniform(1e-4, 1e-1), "units": hs.values([8, 32])})
sweep = hs.Sweep(space, algorithm="tpe", metric="val_loss", pruner=hs.MedianPruner(n_startup_trials=2, n_warmup_steps=2), seed=0)
summary = sweep.run(objective, n_trials=4, concurrency=2, progress=False)
print(f"best val_loss {sweep.best.value:.4f} with {sweep.best.params}; { {state.value: n for state, n in summary.finished.items()} }")
