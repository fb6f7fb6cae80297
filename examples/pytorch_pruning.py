"""Plain PyTorch: report the validation loss each epoch, stop when the pruner says so."""
import torch

import hypersweep as hs

torch.manual_seed(0)
X = torch.randn(256, 8)
Y = X @ torch.randn(8, 1) + 0.1 * torch.randn(256, 1)


def objective(params, trial):
    torch.set_num_threads(1)
    model = torch.nn.Sequential(torch.nn.Linear(8, params["units"]), torch.nn.ReLU(), torch.nn.Linear(params["units"], 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=params["lr"])
    for epoch in range(10):
        for start in range(0, 192, 32):
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(X[start:start + 32]), Y[start:start + 32]).backward()
            optimizer.step()
        with torch.no_grad():
            loss = torch.nn.functional.mse_loss(model(X[192:]), Y[192:]).item()
        if trial.report(epoch, loss):  # True: the pruner says stop; the trial is stored as pruned
            break
    return loss


space = hs.Space({"lr": hs.loguniform(1e-4, 1e-1), "units": hs.values([8, 32])})
sweep = hs.Sweep(space, algorithm="tpe", metric="loss", pruner=hs.MedianPruner(n_startup_trials=2, n_warmup_steps=2), seed=0)
summary = sweep.run(objective, n_trials=6, concurrency=2, progress=False)
print(f"best loss {sweep.best.value:.4f} with {sweep.best.params}; { {state.value: n for state, n in summary.finished.items()} }")
