"""What can be checked here of the production set-up (deploy/, Dockerfile, docs/deploy.md): the
image definition lints, the systemd unit verifies, and gunicorn starts with the production
settings against this machine's database (PostgreSQL in CI) and a Redis of its own, answers
the probes and a page through them, shares its sign-in limits in Redis, writes its JSON request
log, reloads gracefully and stops cleanly."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, proc: subprocess.Popen, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"{what} exited with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not listen on {port} within {seconds} s")


def test_the_dockerfile_lints():
    result = subprocess.run(
        [str(BIN / "hadolint"), "--config", str(ROOT / ".hadolint.yaml"), "Dockerfile"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "deploy/gunicorn.conf.py" in dockerfile and "db upgrade" in dockerfile


def test_the_systemd_unit_verifies(tmp_path):
    """systemd-analyze checks every directive and that the commands exist: the unit is checked
    with /opt/staffroom pointed at this checkout (whose .venv has flask and gunicorn)."""
    unit = (ROOT / "deploy/staffroom.service").read_text()
    assert "ExecStart=/opt/staffroom/.venv/bin/gunicorn --config deploy/gunicorn.conf.py" in unit
    here = tmp_path / "staffroom.service"
    here.write_text(unit.replace("/opt/staffroom", str(ROOT)))
    result = subprocess.run(
        ["systemd-analyze", "verify", str(here)], capture_output=True, text=True, cwd=tmp_path
    )
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        # This machine may have no postgresql or redis-server unit: After= names them anyway.
        if line.strip() and "postgresql.service" not in line and "redis-server" not in line
    ]
    assert result.returncode == 0 and not problems, problems


@pytest.fixture
def redis_server(tmp_path):
    port = _free_port()
    proc = subprocess.Popen(
        [
            shutil.which("redis-server") or "/usr/bin/redis-server",
            "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_port(port, proc, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


class Answer:
    def __init__(self, response: http.client.HTTPResponse):
        self.status = response.status
        self.headers = response.headers
        self.text = response.read().decode()

    def json(self):
        return json.loads(self.text)


def _get(port: int, path: str, method="GET", body=None, headers=None) -> Answer:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        return Answer(conn.getresponse())
    finally:
        conn.close()


def test_gunicorn_serves_with_the_production_settings(app, tmp_path, redis_server):
    import redis

    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")},
        "PORTAL_BIND": f"127.0.0.1:{port}",
        "PORTAL_WORKERS": "2",
        "PORTAL_THREADS": "2",
        "PORTAL_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "PORTAL_INSTANCE_PATH": str(tmp_path / "instance"),
        "PORTAL_SECRET_KEY": "deploy-test-secret-key-0123456789",
        "PORTAL_REDIS_URL": redis_server,
    }
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "app:app"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_port(port, proc, "gunicorn", seconds=60)
        assert _get(port, "/healthz").json() == {"status": "ok"}
        ready = _get(port, "/readyz")
        assert ready.status == 200, ready.text
        assert ready.json()["checks"] == {"database": "ok", "redis": "ok"}

        page = _get(port, "/auth/login", headers={"X-Request-ID": "deploy-test-0001"})
        assert page.status == 200 and page.headers["X-Request-ID"] == "deploy-test-0001"
        cookie = page.headers["Set-Cookie"]
        assert cookie.startswith("__Host-staffroom_session=") and "Secure" in cookie  # production
        # A wrong password through nginx's hop: counted in Redis, shared by every server.
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        refused = _get(
            port,
            "/auth/login",
            method="POST",
            body=f"identifier=nobody&secret=wrong&csrf_token={token}",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie.split(";", 1)[0],
                "X-Forwarded-For": "203.0.113.7",
                "X-Forwarded-Proto": "https",
                "Referer": f"https://127.0.0.1:{port}/auth/login",  # CSRF's same-origin check
            },
        )
        assert refused.status in (200, 422), refused.text[:300]
        keys = [k.decode() for k in redis.Redis.from_url(redis_server).keys("*")]
        assert any("203.0.113.7" in k for k in keys), keys  # the client's address, not nginx's

        # Metrics: both workers' counts in one scrape (each request may reach either).
        for _ in range(12):
            _get(port, "/healthz")
        scrape = _get(port, "/metrics").text
        served = re.search(
            r'staffroom_requests_total\{endpoint="health.healthz",method="GET",status="200"\} '
            r"([0-9.]+)",
            scrape,
        )
        assert served and float(served.group(1)) == 13, scrape[:500]
        assert re.search(r'staffroom_sign_in_failures_total\{kind="unknown"\} 1\.0', scrape)
        outside = _get(port, "/metrics", headers={"X-Forwarded-For": "198.51.100.20"})
        assert outside.status == 404  # a client outside, as nginx forwards it

        # Graceful reload: new workers, and the server keeps answering.
        proc.send_signal(signal.SIGHUP)
        time.sleep(1.5)
        assert _get(port, "/healthz").status == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(40)
    output = log.read_text()
    assert code == 0, output[-2000:]
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    login = [line for line in lines if line.get("request_id") == "deploy-test-0001"]
    assert login and login[0]["endpoint"] == "auth.login" and login[0]["status"] == 200
    assert "Handling signal: hup" in output.lower() or "hang up" in output.lower()
