"""Benchmarks (not tests): page and PDF timings and process memory on the demo data.

    make bench

Targets: lists answer in < 100 ms warm; a staff record card and a 10-page bilingual SOP render
in < 1.5 s warm and in < 30 ms when printed again (cache), under 400 KB; a department binder of
20 SOPs in < 10 s; the web process stays small because WeasyPrint runs in the PDF process.
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


def sop_measures(app, client) -> list:
    """A 10-page bilingual SOP (warm, printed again, size) and a 20-SOP department binder."""
    from sqlalchemy import select

    from portal import pdf
    from portal.blueprints.people.models import Department, User
    from portal.blueprints.sops import services
    from portal.extensions import db
    from portal.i18n import local_today

    with app.test_request_context():
        hr = db.session.scalar(select(User).where(User.username == "hr"))
        manager = db.session.scalar(select(User).where(User.username == "manager"))
        dept = db.session.scalar(
            select(Department).where(
                Department.property_id == hr.property_id, Department.code == "ENG"
            )
        )
        step_en = (
            "Check the plant room before the shift: read the gauges, note the "
            "pressure and temperature in the log, and report anything outside its range."
        )
        step_zh = "交班前检查机房：读取各仪表，把压力和温度记入日志，超出范围的情况立即报告。"
        big = None
        for n in range(20):
            steps = 62 if n == 0 else 8
            data = services.VersionData(
                title_en=f"Plant room round {n + 1}",
                title_zh=f"机房巡检 {n + 1}",
                purpose_en="Keep the building's plant safe and running.",
                purpose_zh="确保楼宇设备安全运行。",
                steps=[
                    services.StepData(
                        f"{i + 1}. {step_en}",
                        f"{i + 1}．{step_zh}",
                        "Wear gloves.",
                        "戴好手套。",
                        "warning",
                        i % 7 == 0,
                    )
                    for i in range(steps)
                ],
            )
            version = services.create_sop(
                property_id=hr.property_id,
                department_id=dept.id,
                number=f"ENG-{n + 1:03d}",
                data=data,
                author=hr,
            )
            services.submit_for_review(version, by=hr)
            services.approve(version, approver=manager, effective_date=local_today())
            big = big or version
        db.session.commit()
        big_id, dept_id = big.id, dept.id
    client.post("/auth/logout")
    client.post("/auth/login", data={"identifier": "manager", "secret": "demo-pass-2026"})
    url = f"/sops/versions/{big_id}/print.pdf?lang=both"
    first = client.get(url)
    import io

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(first.data)).pages)
    warm = []
    for _ in range(3):
        pdf._cache.clear()
        warm += timed(lambda: client.get(url), 1)
    again = timed(lambda: client.get(url), 20)
    binder = timed(lambda: client.get(f"/sops/binder.pdf?department={dept_id}&lang=both"), 1)
    sop_list = timed(lambda: client.get("/sops/?scope=all"), 30)
    return [
        (f"bilingual SOP PDF, {pages} pages, warm (ms)", statistics.median(warm), 1500),
        ("bilingual SOP PDF, printed again (ms)", statistics.median(again), 30),
        ("bilingual SOP PDF size (KB)", len(first.data) / 1024, 400),
        ("department binder, 20 SOPs (ms)", binder[0], 10000),
        ("SOP list, 28 SOPs, warm (ms)", statistics.median(sop_list), 100),
    ]


def sign_in_refusals(app) -> list:
    """Unknown name, wrong PIN, locked, inactive: the medians must not tell them apart (the
    slowest within 20% of the fastest). The demo's secrets carry the production hash."""
    from datetime import timedelta

    from sqlalchemy import update

    from portal.blueprints.people.models import User
    from portal.database import utcnow
    from portal.extensions import db

    with app.app_context():
        db.session.execute(
            update(User)
            .where(User.staff_no == "E1003")
            .values(locked_until=utcnow() + timedelta(days=1))
        )
        db.session.execute(update(User).where(User.staff_no == "E1004").values(active=False))
        db.session.commit()
    kinds = {"unknown": "E9999", "wrong PIN": "E1002", "locked": "E1003", "inactive": "E1004"}
    client = app.test_client()
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _round in range(20):
        for kind, identifier in kinds.items():
            times[kind] += timed(
                lambda i=identifier: client.post(
                    "/auth/login", data={"identifier": i, "secret": "000000"}
                ),
                1,
            )
        with app.app_context():  # keep the wrong-PIN account below the lockout
            db.session.execute(update(User).where(User.staff_no == "E1002").values(failed_logins=0))
            db.session.commit()
    medians = {kind: statistics.median(values) for kind, values in times.items()}
    rows = [(f"sign-in refused, {kind} (ms)", value, None) for kind, value in medians.items()]
    ratio = max(medians.values()) / min(medians.values())
    rows.append(("sign-in refusals, slowest / fastest", ratio, 1.2))
    return rows


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="staffroom-bench-")
    os.environ["PORTAL_INSTANCE_PATH"] = tmp
    from flask_migrate import upgrade

    from portal import create_app, modules, pdf
    from portal.blueprints.people.demo import DEMO_PASSWORD
    from portal.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            # A print request waits for its PDF here (a server answers "preparing" at once
            # and the page polls): these timings are of the render itself.
            "PDF_INLINE_WAIT": 120,
        }
    )
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
        for _name, fn in modules.seeders():
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

    rows += sop_measures(app, client)
    rows += sign_in_refusals(app)

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
