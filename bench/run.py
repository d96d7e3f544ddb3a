"""Benchmarks (not tests): page and PDF timings and process memory on the demo data.

    make bench

Targets: the people list answers in < 100 ms warm; a staff record card renders in < 1.5 s warm
and < 30 ms when printed again (cache); the web process stays small because WeasyPrint runs in
the PDF process.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="staffroom-bench-")
    os.environ["PORTAL_INSTANCE_PATH"] = tmp
    from flask_migrate import upgrade

    from portal import create_app, pdf
    from portal.blueprints.people.demo import DEMO_PASSWORD
    from portal.demo import SEEDERS, load_seeders
    from portal.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
        load_seeders()
        for _name, fn in SEEDERS:
            fn()
            db.session.commit()
        from sqlalchemy import select

        from portal.blueprints.people.models import User

        person_id = db.session.scalar(select(User.id).where(User.staff_no == "E1001"))
    record = f"/people/{person_id}/record.pdf"
    client = app.test_client()
    client.post("/auth/login", data={"identifier": "hr", "secret": DEMO_PASSWORD})

    start = time.perf_counter()
    probe = client.get(record)
    first = (time.perf_counter() - start) * 1000
    if probe.status_code != 200 or probe.mimetype != "application/pdf":
        sys.exit(f"PDF request failed: {probe.status_code} {probe.get_data(as_text=True)[:300]}")
    rows = []
    people = timed(lambda: client.get("/people/"), 50)
    rows.append(("people list, warm (ms)", statistics.median(people), 100))
    home = timed(lambda: client.get("/"), 50)
    rows.append(("home page, warm (ms)", statistics.median(home), 100))

    rows.append(("staff record PDF, first (process start) (ms)", first, None))
    warm = []
    for _ in range(5):
        pdf._cache.clear()
        warm += timed(lambda: client.get(record), 1)
    rows.append(("staff record PDF, warm (ms)", statistics.median(warm), 1500))
    cached = timed(lambda: client.get(record), 20)
    rows.append(("staff record PDF, printed again (ms)", statistics.median(cached), 30))
    size = len(client.get(record).data) / 1024
    rows.append(("staff record PDF size (KB)", size, 400))

    rows.append(("web process RSS (MB)", rss_mb(os.getpid()), 150))
    workers = pdf.worker_pids()
    for pid in workers:
        rows.append((f"PDF process {pid} RSS (MB)", rss_mb(pid), None))

    failed = False
    print(f"{'measure':<46} {'value':>9} {'target':>8}")
    for name, value, target in rows:
        ok = target is None or value <= target
        failed |= not ok
        print(
            f"{name:<46} {value:>9.1f} {('<= ' + str(target)) if target else '':>8}"
            f"{'' if ok else '  MISSED'}"
        )
    pdf._kill_pool()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
