"""Sign-in rate limits hold across the workers of one server (no Redis): two gunicorn workers,
one address, 50 attempts in a minute against a limit of 30 per address."""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

from tests.conftest import ROOT, gunicorn


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
    with gunicorn(env, tmp_path / "gunicorn.log") as base:
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
