"""Attendance under load: supervisors tapping attendance rows at once, on gunicorn.

    make bench-attendance                       # PostgreSQL (BENCH_PG_URL), about 1 minute
    make bench-attendance ARGS="--db both"      # and SQLite
    .venv/bin/python bench/attendance.py --help

The training issue's target: the attendance row update answers in under 50 ms p95 at 16
concurrent supervisors (gunicorn, PostgreSQL). For each database the run sets up a fresh
instance (`flask db upgrade`, `flask seed-demo`), adds a session running now with 40 people of
the demo supervisor's department on its roll, starts the portal under gunicorn (2 sync workers,
as the load benchmark) and the bare-bones anchors beside it, signs in as the supervisor through
the real form, and drives POST /training/enrolments/<id>/mark (htmx, with the CSRF token) with
wrk -t2 -c16. The requests go round the 40 rows and the four marks, so every tap changes a
row's mark: each one writes an attendance row (a correction of the one before) and an audit
row, and answers the row again. The rows written are counted in the database afterwards, and
answers that refused a tap (two supervisors on the same row at once) are counted by their
message. Beside it, the bare-bones fragment (a read of 5 queries) in the same run, for scale.

Results go to the terminal and to bench/REPORT-attendance.md. Exit status: 0 when the target is
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

REPORT = ROOT / "bench" / "REPORT-attendance.md"
TARGET_P95_MS = 50.0
SEATS = 40
MARKS = ("present", "late", "absent", "excused")
REFUSED_TEXT = "at the same moment"  # views._record's answer to two taps on one row at once


def prepare() -> tuple[int, list[int]]:
    """A session running now at the hotel with SEATS people of the supervisor's department on
    its roll (people added for the run). In an app context; committed."""
    from datetime import timedelta

    from sqlalchemy import select

    from portal.blueprints.people.demo import DEMO_PIN
    from portal.blueprints.people.models import User, hash_secret
    from portal.blueprints.training import services
    from portal.blueprints.training.models import Enrolment, EnrolmentStatus, Programme
    from portal.database import utcnow, write_intent
    from portal.extensions import db

    hotel, _housekeeping = bench_routes._hotel()
    username = bench_routes.credentials("supervisor")[0]
    supervisor = db.session.scalar(select(User).where(User.username == username))
    department = supervisor.supervises[0]
    programme = db.session.scalar(
        select(Programme).where(Programme.property_id == hotel.id).order_by(Programme.id)
    )
    now = utcnow().replace(microsecond=0)
    pin_hash = hash_secret(DEMO_PIN)
    with write_intent():
        people = [
            User(
                property_id=hotel.id,
                department_id=department.id,
                staff_no=f"AT{n:04d}",
                name_en=f"Bench Attendee {n}",
                name_zh=f"压测学员{n}",
                role="employee",
                hire_date=now.date() - timedelta(days=400),
                pin_hash=pin_hash,
                active=True,
            )
            for n in range(0, SEATS + 1)
        ]
        db.session.add_all(people)
        db.session.flush()
        trainer, people = people[0], people[1:]  # a trainer of their own: no clash
        session = services.schedule_session(
            hotel.id,
            services.SessionData(
                programme_id=programme.id,
                starts_at=now - timedelta(minutes=5),
                ends_at=now + timedelta(hours=6),
                room="Bench room",
                trainer_id=trainer.id,
                capacity=SEATS + 5,
            ),
            by=supervisor,
        )
        seats = []
        for person in people:
            seat = Enrolment(
                session_id=session.id,
                person_id=person.id,
                status=EnrolmentStatus.ENROLLED,
                enrolled_by_id=supervisor.id,
                seated_at=now - timedelta(days=1),
            )
            session.seats_taken += 1
            db.session.add(seat)
            seats.append(seat)
        db.session.flush()
        ids = (session.id, [s.id for s in seats])
        db.session.commit()
    return ids


def mark_mix(cookie: str, token: str, seat_ids: list[int]) -> list[str]:
    """The wrk requests: every row with one mark, then every row with the next mark. Each
    block starts a quarter of the rows further on, so that the second wrk thread, which
    starts half-way down the list, taps rows half the roll away from the first one's."""
    n = len(seat_ids)
    return [
        f"/training/enrolments/{seat_ids[(i + k * n // 4) % n]}/mark\t{cookie}\t1\t"
        + urlencode({"csrf_token": token, "mark": mark})
        for k, mark in enumerate(MARKS)
        for i in range(n)
    ]


def _first_tap(prepared, token: str) -> tuple[str, dict, str]:
    _session_id, seat_ids = prepared
    path = f"/training/enrolments/{seat_ids[0]}/mark"
    return path, {"csrf_token": token, "mark": "present"}, f"enrolment-{seat_ids[0]}"


def _written(url: str) -> int:
    from portal.blueprints.training.models import Attendance

    return taps.count_rows(url, Attendance.__table__)


BENCH = taps.TapBench(
    title="Attendance under load",
    command="make bench-attendance (bench/attendance.py)",
    role="supervisor",
    connections=16,
    target_p95_ms=TARGET_P95_MS,
    report=REPORT,
    what="Each request is a supervisor's tap on an attendance row (htmx POST with the CSRF "
    "token): a new attendance row and an audit row written, the row answered again.",
    refused_text=REFUSED_TEXT,
    prepare=prepare,
    page=lambda prepared: f"/training/sessions/{prepared[0]}",
    lines=lambda cookie, token, prepared: mark_mix(cookie, token, prepared[1]),
    first_tap=_first_tap,
    written=_written,
)


if __name__ == "__main__":
    sys.exit(taps.main(BENCH, __doc__))
