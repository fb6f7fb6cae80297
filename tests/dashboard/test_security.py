"""The dashboard is safe by default: hosts, tokens, static files, bounded requests, no secrets."""
from __future__ import annotations

import hashlib
import os

import pytest
from starlette.testclient import TestClient

from hypersweep.dashboard import create_app
from hypersweep.dashboard.assets import STATIC
from hypersweep.dashboard.security import MAX_BODY, Policy, host_name
from hypersweep.storage import open_storage
from tests.dashboard.conftest import TOKEN, fill

TRAVERSAL = [
    "../app.py", "..%2fapp.py", "%2e%2e%2fapp.py", "%2e%2e/%2e%2e/etc/passwd", "..%5capp.py", "%252e%252e%252fapp.py",
    "....//app.py", "..;/app.py", "%c0%ae%c0%ae/app.py", "/etc/passwd", "%2fetc%2fpasswd", "app.js%00.py",
    "..%00/app.py", "static/../../security.py", "app.js/../../app.py", "%2e%2e%5c%2e%2e%5cetc%5cpasswd", "__init__.py",
    "report_shim.js/..", "index.html%2f..%2f..%2fapp.py",
]


@pytest.fixture(scope="module")
def store(store_path):
    return open_storage(store_path)


def client(store, host: str = "127.0.0.1") -> TestClient:
    policy = Policy.for_bind(host, 8080, token=TOKEN)
    return TestClient(create_app(store, policy), base_url="http://127.0.0.1:8080")


def test_loopback_reads_need_no_token_but_actions_do(store):
    web = client(store)
    assert web.get("/api/sweeps").status_code == 200
    assert web.post("/api/sweeps/alpha/stop").status_code == 403
    assert web.post("/api/sweeps/alpha/stop", headers={"X-Hypersweep-Token": "wrong" * 5}).status_code == 403
    # a cookie alone (what another site could make the browser send) is not enough for an action
    web.cookies.set("hypersweep_token", TOKEN)
    assert web.post("/api/sweeps/alpha/stop").status_code == 403
    assert store.get_sweep_attrs("alpha").get("stop") is None


def test_actions_with_the_token_go_through_the_api(store):
    web, header = client(store), {"X-Hypersweep-Token": TOKEN}
    assert web.post("/api/sweeps/alpha/stop", headers=header).json() == {"ok": True}
    assert store.get_sweep_attrs("alpha")["stop"]["reason"] == "stopped from the dashboard"
    assert web.get("/api/sweeps/alpha").json()["status"] == "stopped"
    assert web.post("/api/sweeps/alpha/resumable", headers=header).status_code == 200
    assert "stop" not in store.get_sweep_attrs("alpha")
    restarted = web.post("/api/sweeps/alpha/trials/3/restart", headers=header).json()["trial"]
    assert store.get_trial("alpha", restarted).params == store.get_trial("alpha", 3).params
    queued = web.post("/api/sweeps/alpha/enqueue", headers=header, json={"params": {"lr": 0.01, "units": 32, "act": "relu"}})
    assert store.get_trial("alpha", queued.json()["trial"]).state.value == "waiting"
    bad = web.post("/api/sweeps/alpha/enqueue", headers=header, json={"params": {"lr": 5.0, "units": 32, "act": "relu"}})
    assert bad.status_code == 400 and "lr" in bad.json()["error"]


def test_other_hosts_need_the_token_for_every_request(store):
    web = client(store, host="0.0.0.0")
    assert web.get("/api/sweeps").status_code == 401
    assert web.get("/").status_code == 401
    assert web.get("/api/sweeps", headers={"X-Hypersweep-Token": TOKEN}).status_code == 200
    login = web.get(f"/?token={TOKEN}", follow_redirects=False)
    assert login.status_code == 303 and login.headers["location"] == "/"
    assert "httponly" in login.headers["set-cookie"].lower() and "samesite=strict" in login.headers["set-cookie"].lower()
    assert web.get("/api/sweeps").status_code == 200  # the cookie now carries the token


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "attacker:8080", "", "localhost.evil"])
def test_unknown_host_headers_are_refused(store, host):
    response = client(store).get("/api/sweeps", headers={"Host": host})
    assert response.status_code == 400 and "host not allowed" in response.text


def test_host_names_are_parsed():
    assert host_name("[::1]:8080") == "::1" and host_name("localhost:1") == "localhost" and host_name("::1") == "::1"


@pytest.mark.parametrize("path", TRAVERSAL)
def test_static_files_come_only_from_the_package(store, path):
    response = client(store).get("/static/" + path)
    assert response.status_code == 404
    assert "import" not in response.text and "root:" not in response.text


def test_static_files_are_served_with_safe_headers(store):
    web = client(store)
    page = web.get("/").text
    for name in ("early.js", "plots.js", "app.js", "style.css", "plotly-hypersweep.min.js"):
        response = web.get("/static/" + name)
        assert response.status_code == 200 and len(response.content) > 100
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"
        # linked by content hash, so cached for good; a changed file gets a new URL
        assert f"/static/{name}?v={hashlib.sha256(response.content).hexdigest()[:16]}" in page
        assert "immutable" in response.headers["cache-control"]
        assert response.headers["content-type"] == ("text/css" if name.endswith(".css") else "text/javascript") + "; charset=utf-8"
        assert response.content == (STATIC / ("vendor/" if name.startswith("plotly") else "") / name).read_bytes()
    assert "cdn" not in page.lower()
    assert web.get("/api/sweeps").headers["cache-control"] == "no-store"


def test_request_sizes_and_query_ranges_are_bounded(store):
    web, header = client(store), {"X-Hypersweep-Token": TOKEN}
    big = web.post("/api/sweeps/alpha/enqueue", headers=header, content=b"x" * (MAX_BODY + 1))
    assert big.status_code == 413
    for query in ("limit=100000", "limit=0", "offset=-1", "offset=99999999999", "order=params", "states=done", "limit=abc"):
        response = web.get("/api/sweeps/alpha/trials?" + query)
        assert response.status_code == 400, query
        assert len(response.json()["error"].splitlines()) == 1
    assert web.get("/api/sweeps/alpha/changes?after=-5").status_code == 400
    for body in ({"text": "x" * 20_001}, {"text": 3}, ["x"]):  # notes: bounded, a string
        refused = web.post("/api/sweeps/alpha/note", headers=header, json=body)
        assert refused.status_code == 400 and len(refused.json()["error"].splitlines()) == 1
    assert web.post("/api/sweeps/alpha/note", json={"text": "no token"}).status_code == 403
    assert store.get_note("alpha") == ""
    assert web.get("/api/sweeps/missing").status_code == 404


def test_storage_passwords_never_reach_the_browser(tmp_path):
    url = os.environ.get("HYPERSWEEP_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("needs HYPERSWEEP_TEST_POSTGRES_URL")
    store = open_storage(url)
    name = "dash-secret-check"
    if name not in {s.name for s in store.list_sweeps()}:
        fill(url, name, 2)
    password = store.__getstate__()["url"].split(":")[2].split("@")[0]
    web = client(store)
    for path in ("/api/sweeps", f"/api/sweeps/{name}", f"/api/sweeps/{name}/changes", f"/api/sweeps/{name}/trials/0"):
        assert f":{password}@" not in web.get(path).text
    assert "***" in web.get(f"/api/sweeps/{name}").json()["storage"]
    store.delete_sweep(name)
