"""Sign-in rate limits hold across the workers of one server (no Redis): two gunicorn workers,
one address, 50 attempts in a minute against a limit of 30 per address."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _opener():
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def _post(opener, url: str, token: str, identifier: str) -> int:
    body = urllib.parse.urlencode(
        {"csrf_token": token, "identifier": identifier, "secret": "000000"}
    ).encode()
    try:
        request = urllib.request.Request(url, data=body)  # noqa: S310 - our own http:// server
        with opener.open(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def test_two_workers_share_the_sign_in_limit(tmp_path):
    env = {
        **os.environ,
        "PORTAL_INSTANCE_PATH": str(tmp_path),
        "PORTAL_DATABASE_URL": f"sqlite:///{tmp_path / 'portal.db'}",
    }
    env.pop("PORTAL_RATELIMIT_STORAGE_URL", None)
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    port = _free_port()
    log = (tmp_path / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "app:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/auth/login", timeout=2).close()  # noqa: S310
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        answers = []
        for i in range(50):
            opener = _opener()  # a new visitor each time (no cookie): the address is counted
            with opener.open(f"{base}/auth/login", timeout=20) as page:
                html = page.read().decode()
            token = re.search(
                r'name="csrf_token" type="hidden" value="([^"]+)"', html
            ) or re.search(r'name="csrf_token" value="([^"]+)"', html)
            assert token, html[:300]
            answers.append(_post(opener, f"{base}/auth/login", token.group(1), f"GUESS{i}"))
        assert answers.count(429) == 20, answers
        assert set(answers) == {422, 429}
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
