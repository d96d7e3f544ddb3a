"""Checklist taps under load: attendants ticking the steps of the rooms they clean, at once, on
gunicorn.

    make bench-cleaning                         # PostgreSQL (BENCH_PG_URL), about 1 minute
    make bench-cleaning ARGS="--db both"        # and SQLite
    .venv/bin/python bench/cleaning.py --help

The rosters issue's target: a status tap answers in under 50 ms p95 with 30 attendants tapping
at once on PostgreSQL. The run (bench/taps.py) puts 30 rooms of the hotel on one list, each
being cleaned, signs in as the benchmark's employee (their list), and drives POST
/rosters/cleanings/<id>/steps/<n> (htmx, with the CSRF token) with wrk -c30. The requests go
round every step of every room, ticking it and then unticking it, so every tap changes its
step: each writes (or removes) a tick and writes an audit row, and answers the step and the
progress. One account drives all 30 connections: a tap costs the same whoever taps.

Results go to the terminal and to bench/REPORT-cleaning.md. Exit status: 0 when the target is
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

REPORT = ROOT / "bench" / "REPORT-cleaning.md"
ROOMS = 30
NEVER_REFUSED = "can no longer change"  # a finished cleaning's answer: these stay open


def prepare() -> list[int]:
    """ROOMS rooms of the hotel on the benchmark employee's list today, each being cleaned.
    In an app context; committed. Returns the cleanings' ids."""
    from decimal import Decimal

    from sqlalchemy import select

    from portal.blueprints.people.models import User
    from portal.blueprints.rosters.checklist import BUILT_IN
    from portal.blueprints.rosters.models import Assignment, Cleaning, Room, RoomType
    from portal.database import write_intent
    from portal.extensions import db
    from portal.i18n import local_today

    hotel, _housekeeping = bench_routes._hotel()
    employee = db.session.scalar(
        select(User).where(User.staff_no == bench_routes.credentials("employee")[0])
    )
    kind = db.session.scalar(
        select(RoomType).where(RoomType.property_id == hotel.id).order_by(RoomType.id).limit(1)
    )
    today = local_today()
    with write_intent():
        cleanings = []
        for n in range(ROOMS):
            room = Room(
                property_id=hotel.id,
                number=f"B{n:03d}",
                floor=99,
                room_type_id=kind.id,
                status="cleaning",
                occupancy="departure",
            )
            db.session.add(room)
            db.session.flush()
            db.session.add(
                Assignment(
                    property_id=hotel.id,
                    day=today,
                    room_id=room.id,
                    attendant_id=employee.id,
                    position=n + 1,
                    occupancy="departure",
                    credits=Decimal("1.5"),
                )
            )
            cleaning = Cleaning(
                property_id=hotel.id,
                room_id=room.id,
                day=today,
                attendant_id=employee.id,
                steps=len(BUILT_IN),
            )
            db.session.add(cleaning)
            cleanings.append(cleaning)
        db.session.flush()
        ids = [c.id for c in cleanings]
        db.session.commit()
    return ids


def tap_mix(cookie: str, token: str, cleaning_ids: list[int]) -> list[str]:
    """Every step of every room ticked, then every one unticked: each tap changes its step.
    The unticks start half the steps further on: wrk's second thread starts at the middle of
    the list, and so unticks steps the first thread ticked a while ago, never the one it is
    ticking (which would make half the taps change nothing)."""
    steps = [(c, p) for c in cleaning_ids for p in range(1, 14)]
    half = len(steps) // 2
    unticks = steps[half:] + steps[:half]
    return [
        f"/rosters/cleanings/{c}/steps/{p}\t{cookie}\t1\t"
        + urlencode({"csrf_token": token, "done": done})
        for done, order in (("1", steps), ("0", unticks))
        for c, p in order
    ]


def _first_tap(prepared, token: str) -> tuple[str, dict, str]:
    # Step 13 of the last room, ticked and then unticked by the mix's first pass like the rest.
    return (
        f"/rosters/cleanings/{prepared[-1]}/steps/13",
        {"csrf_token": token, "done": "1"},
        ('id="step-13"'),
    )


def _written(url: str) -> int:
    from sqlalchemy import create_engine, func, select

    from bench.bare import database_url
    from portal.audit import AuditEvent

    engine = create_engine(database_url(url))
    try:
        with engine.connect() as conn:
            return conn.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action.in_(("rosters.ticked", "rosters.unticked")))
            )
    finally:
        engine.dispose()


BENCH = taps.TapBench(
    title="Checklist taps under load",
    command="make bench-cleaning (bench/cleaning.py)",
    role="employee",
    connections=30,
    target_p95_ms=50.0,
    report=REPORT,
    what="Each request is an attendant's tap on a checklist step of a room being cleaned (htmx "
    "POST with the CSRF token): a tick written or removed and an audit row written, the step "
    "and the progress answered.",
    refused_text=NEVER_REFUSED,
    prepare=prepare,
    page=lambda prepared: "/",  # any page carries the CSRF token
    lines=lambda cookie, token, prepared: tap_mix(cookie, token, prepared),
    first_tap=_first_tap,
    written=_written,
)


if __name__ == "__main__":
    sys.exit(taps.main(BENCH, __doc__))
