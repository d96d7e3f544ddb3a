"""The drill roll call under load: marshals tapping people accounted for at once, on gunicorn.

    make bench-rollcall                         # PostgreSQL (BENCH_PG_URL), about 1 minute
    make bench-rollcall ARGS="--db both"        # and SQLite
    .venv/bin/python bench/rollcall.py --help

The drills issue's target: roll-call taps answer in under 50 ms p95 with 10 concurrent marshals
on PostgreSQL. The run (bench/taps.py) adds a fire drill running now with 40 people of the demo
supervisor's department, signs in as that supervisor (a marshal of their department), and
drives POST /drills/<id>/roll/<person> (htmx, with the CSRF token) with wrk -c10. The requests
go round the 40 people, accounting for each and then undoing it, so every tap changes the
person's state: each writes a roll-call row and an audit row and answers the row and the count.

Results go to the terminal and to bench/REPORT-rollcall.md. Exit status: 0 when the target is
met on every database run, 1 when it is not, 2 when the run failed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import routes as bench_routes  # noqa: E402
from bench import taps  # noqa: E402

REPORT = ROOT / "bench" / "REPORT-rollcall.md"
PEOPLE = 40
NEVER_REFUSED = "can no longer change"  # a closed record's answer: this drill stays open


def prepare() -> tuple[int, list[int]]:
    """A fire drill of the hotel running now, and PEOPLE more people in the supervisor's
    department. In an app context; committed."""
    from datetime import timedelta

    from sqlalchemy import select

    from portal.blueprints.drills import services
    from portal.blueprints.drills.models import Plan
    from portal.blueprints.people.demo import DEMO_PIN
    from portal.blueprints.people.models import User, hash_secret
    from portal.database import utcnow, write_intent
    from portal.extensions import db
    from portal.i18n import local_today

    hotel, _housekeeping = bench_routes._hotel()
    supervisor = db.session.scalar(
        select(User).where(User.username == bench_routes.credentials("supervisor")[0])
    )
    manager = db.session.scalar(
        select(User).where(User.username == bench_routes.credentials("manager")[0])
    )
    department = supervisor.supervises[0]
    pin_hash = hash_secret(DEMO_PIN)
    with write_intent():
        people = [
            User(
                property_id=hotel.id,
                department_id=department.id,
                staff_no=f"RC{n:04d}",
                name_en=f"Bench Evacuee {n}",
                name_zh=f"压测疏散{n}",
                role="employee",
                hire_date=utcnow().date() - timedelta(days=400),
                pin_hash=pin_hash,
                active=True,
            )
            for n in range(PEOPLE)
        ]
        db.session.add_all(people)
        plan = db.session.scalar(
            select(Plan).where(Plan.property_id == hotel.id).order_by(Plan.id).limit(1)
        )
        drill = services.schedule(plan, plan.shift_list[0], local_today(), by=manager)
        services.start(drill, by=manager)
        db.session.flush()
        ids = (drill.id, [p.id for p in people])
        db.session.commit()
    return ids


def roll_mix(cookie: str, token: str, drill_id: int, person_ids: list[int]) -> list[str]:
    """Everyone accounted for, then everyone undone: each tap changes its person's state. The
    second half starts a quarter of the list further on, so that the two wrk threads tap
    people half the list apart."""
    n = len(person_ids)
    return [
        f"/drills/{drill_id}/roll/{person_ids[(i + k * n // 4) % n]}\t{cookie}\t1\t"
        + urlencode({"csrf_token": token, "accounted": accounted})
        for k, accounted in enumerate(("1", "0"))
        for i in range(n)
    ]


def _first_tap(prepared, token: str) -> tuple[str, dict, str]:
    drill_id, person_ids = prepared
    path = f"/drills/{drill_id}/roll/{person_ids[-1]}"
    return path, {"csrf_token": token, "accounted": "1"}, f"person-{person_ids[-1]}"


def _written(url: str) -> int:
    from portal.blueprints.drills.models import RollCall

    return taps.count_rows(url, RollCall.__table__)


BENCH = taps.TapBench(
    title="Drill roll call under load",
    command="make bench-rollcall (bench/rollcall.py)",
    role="supervisor",
    connections=10,
    target_p95_ms=50.0,
    report=REPORT,
    what="Each request is a marshal's tap on a person at a running drill (htmx POST with the "
    "CSRF token): a roll-call row and an audit row written, the row and the count answered.",
    refused_text=NEVER_REFUSED,
    prepare=prepare,
    page=lambda prepared: f"/drills/{prepared[0]}",
    lines=lambda cookie, token, prepared: roll_mix(cookie, token, *prepared),
    first_tap=_first_tap,
    written=_written,
)


if __name__ == "__main__":
    sys.exit(taps.main(BENCH, __doc__))
