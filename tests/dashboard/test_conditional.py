"""The dashboard's API on a sweep whose parameters are conditional: missing params everywhere."""
from __future__ import annotations

import pytest
from starlette.testclient import TestClient

import hypersweep as hs
from hypersweep.dashboard import create_app
from hypersweep.dashboard.security import Policy
from hypersweep.storage import open_storage
from tests.dashboard.conftest import TOKEN

SPACE = hs.Space(
    {
        "booster": hs.values(["gbtree", "gblinear"]),
        "max_depth": hs.range(1, 9, 1).when(booster="gbtree"),
        "eta": hs.loguniform(1e-3, 1),
    },
    forbidden=[{"booster": "gbtree", "max_depth": 8}],
)


@pytest.fixture
def web(tmp_path):
    path = str(tmp_path / "cond.db")
    sweep = hs.Sweep(SPACE, algorithm="tpe", metric="loss", storage=path, name="cond", seed=2)
    sweep.run(lambda p: p.get("max_depth", 4) / 10 + p["eta"], n_trials=14, progress=False)
    store = open_storage(path)
    yield TestClient(create_app(store, Policy.for_bind("127.0.0.1", 8080, token=TOKEN)), base_url="http://127.0.0.1:8080")
    store.close()


def test_the_api_serves_missing_params(web):
    info = web.get("/api/sweeps/cond").json()
    assert info["params"] == ["booster", "max_depth", "eta"]  # the forbidden list is not a parameter
    batch = web.get("/api/sweeps/cond/changes?after=0").json()
    linear = [t["p"] for t in batch["trials"] if t["p"][0] == "gblinear"]
    assert linear and all(p[1] is None for p in linear)
    rows = web.get("/api/sweeps/cond/trials?order=value&limit=50").json()["rows"]  # the trial table
    assert all(("max_depth" in r["params"]) == (r["params"]["booster"] == "gbtree") for r in rows)
    detail = web.get(f"/api/sweeps/cond/trials/{rows[0]['id']}").json()
    assert detail["params"] == rows[0]["params"]
    overview = web.get("/api/sweeps/cond/overview").json()
    assert overview["names"] == info["params"] and set(overview["importance"]["scores"]) == set(info["params"])
    table = web.get("/api/sweeps/cond/trials.csv").text.splitlines()
    assert "forbidden" not in table[0] and len(table) == 15


def test_enqueue_checks_the_relations(web):
    headers = {"X-Hypersweep-Token": TOKEN}
    ok = web.post("/api/sweeps/cond/enqueue", json={"params": {"booster": "gblinear", "eta": 0.01}}, headers=headers)
    assert ok.status_code == 200
    inactive = web.post("/api/sweeps/cond/enqueue", json={"params": {"booster": "gblinear", "max_depth": 3, "eta": 0.01}},
                        headers=headers)
    assert inactive.status_code == 400
    assert "params.max_depth: inactive unless booster = 'gbtree'" in inactive.text
    forbidden = web.post("/api/sweeps/cond/enqueue", json={"params": {"booster": "gbtree", "max_depth": 8, "eta": 0.01}},
                         headers=headers)
    assert forbidden.status_code == 400 and "is forbidden" in forbidden.text
