"""What the in-process benchmarks share (bench/compliance.py, bench/board.py): a fresh SQLite
instance in a temporary folder with the migrations applied, a client signed in through the real
sign-in form, and a call timed after its warm-ups."""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from pathlib import Path

_TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def fresh_app(prefix: str):
    """(app, folder): the portal on a new SQLite database at its migrations' head."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["PORTAL_INSTANCE_PATH"] = str(folder)
    os.environ.pop("PORTAL_DATABASE_URL", None)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from flask_migrate import upgrade

    from portal import create_app

    app = create_app()
    with app.app_context():
        upgrade()
    return app, folder


def signed_in(app, identifier: str, secret: str):
    """A test client signed in through /auth/login (CSRF token and all), or None."""
    client = app.test_client()
    form = client.get("/auth/login").get_data(as_text=True)
    token = _TOKEN.search(form).group(1)
    answer = client.post(
        "/auth/login", data={"identifier": identifier, "secret": secret, "csrf_token": token}
    )
    if answer.status_code != 303:
        print("sign-in failed:", answer.status_code, answer.get_data(as_text=True)[:300])
        return None
    return client


def timed(call, rounds: int, warm: int) -> list[float]:
    """Milliseconds of each of `rounds` calls, after `warm` calls not counted."""
    for _ in range(warm):
        call()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times
