"""The training compliance matrix for 500 people x 20 programmes, on SQLite, in process.

Builds a fresh SQLite database in a temporary instance folder: one hotel, 500 employees in five
departments (hired two years ago), 20 programmes every employee must take (monthly, quarterly,
yearly, once), three past sessions of each, and a year of seats with marks and scores (about
two in three people attended each programme, some failed, some were absent). Then, signed in as
HR through the real sign-in, it asks for:

- the matrix page (`/training/compliance`: every standing computed, the first 50 people drawn),
- the CSV of the whole matrix (every one of the 10,000 cells written),
- the matrix computation alone (compliance.matrix),

each 30 times after 5 warm-ups, and prints the median, p95 and the number of queries. Target:
under 300 ms, a fixed number of queries.

    make bench-compliance        (or .venv/bin/python bench/compliance.py)
"""

from __future__ import annotations

import statistics
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import inprocess  # noqa: E402

PEOPLE = 500
PROGRAMMES = 20
SESSIONS_EACH = 3
ROUNDS = 30
WARM = 5
TARGET_MS = 300


def build(app) -> str:
    """The data set; returns HR's staff number."""
    from werkzeug.security import generate_password_hash

    from portal.blueprints.people.models import Department, Property, Role, User
    from portal.blueprints.training.models import (
        Attendance,
        Cadence,
        Enrolment,
        EnrolmentStatus,
        Kind,
        Method,
        Programme,
        ProgrammeRole,
        TrainingSession,
    )
    from portal.database import utcnow
    from portal.extensions import db

    now = utcnow()
    prop = Property(code="BCH", name_en="Bench Hotel", name_zh="基准酒店")
    db.session.add(prop)
    db.session.flush()
    departments = [
        Department(property_id=prop.id, code=code, name_en=code, name_zh=code, position=i)
        for i, code in enumerate(("FO", "HK", "FB", "SPA", "SEC", "HR"))
    ]
    db.session.add_all(departments)
    db.session.flush()
    password = generate_password_hash("bench-pass-2026", method="pbkdf2:sha256:1000")
    hr = User(
        property_id=prop.id,
        department_id=departments[-1].id,
        staff_no="H0001",
        username="bench.hr",
        name_en="Bench HR",
        name_zh="基准人事",
        role=Role.HR,
        password_hash=password,
    )
    db.session.add(hr)
    hired = (now - timedelta(days=730)).date()
    people = [
        User(
            property_id=prop.id,
            department_id=departments[i % 5].id,
            staff_no=f"B{i:04d}",
            name_en=f"Bench Person {i}",
            name_zh=f"基准员工{i}",
            role=Role.EMPLOYEE,
            hire_date=hired,
        )
        for i in range(PEOPLE)
    ]
    db.session.add_all(people)
    db.session.flush()
    cadences = [Cadence.MONTHLY, Cadence.QUARTERLY, Cadence.YEARLY, Cadence.ONCE]
    for g in range(PROGRAMMES):
        programme = Programme(
            property_id=prop.id,
            title_en=f"Programme {g:02d}",
            title_zh=f"培训项目{g:02d}",
            kind=Kind.SKILL_UPGRADE if g % 4 == 2 else Kind.MONTHLY_SERVICE,
            method=Method.CLASSROOM,
            cadence=cadences[g % 4],
            pass_mark=60 if g % 2 else None,
            created_at=now - timedelta(days=500),
        )
        programme.roles = [ProgrammeRole(role=Role.EMPLOYEE)]
        db.session.add(programme)
        db.session.flush()
        for s in range(SESSIONS_EACH):
            ends = now - timedelta(days=20 + 110 * s + g)
            session = TrainingSession(
                property_id=prop.id,
                programme_id=programme.id,
                starts_at=ends - timedelta(hours=3),
                ends_at=ends,
                room=f"Room {g}-{s}",
                trainer_id=hr.id,
                capacity=PEOPLE,
                seats_taken=0,
            )
            db.session.add(session)
            db.session.flush()
            seats, marks = [], []
            for i, person in enumerate(people):
                if (i + g + s) % 5 > 1:  # about three in five take each session
                    continue
                seats.append(
                    Enrolment(
                        session_id=session.id,
                        person_id=person.id,
                        status=EnrolmentStatus.ENROLLED,
                        seated_at=ends - timedelta(days=7),
                    )
                )
            session.seats_taken = len(seats)
            db.session.add_all(seats)
            db.session.flush()
            for n, seat in enumerate(seats):
                mark = ("present", "present", "late", "absent")[n % 4]
                score = (40 + (n * 13) % 60) if programme.pass_mark and mark != "absent" else None
                marks.append(
                    Attendance(
                        enrolment_id=seat.id,
                        session_id=session.id,
                        mark=mark,
                        score=score,
                        passed=None if score is None else score >= programme.pass_mark,
                        recorded_at=ends,
                    )
                )
            db.session.add_all(marks)
    db.session.commit()
    return hr.staff_no


def main() -> int:
    from sqlalchemy import event

    from portal.extensions import db

    app, folder = inprocess.fresh_app("staffroom-compliance-")
    with app.app_context():
        build(app)
        engine = db.engine
    counted = []
    event.listen(engine, "before_cursor_execute", lambda *a, **k: counted.append(1))
    client = inprocess.signed_in(app, "bench.hr", "bench-pass-2026")
    if client is None:
        return 1

    def page():
        response = client.get("/training/compliance")
        assert response.status_code == 200 and "Programme 19" in response.get_data(as_text=True)

    def csv():
        response = client.get("/training/compliance.csv")
        assert response.status_code == 200 and response.get_data(as_text=True).count("\n") > PEOPLE

    def computed():
        from flask_login import login_user

        from portal.blueprints.people.models import User
        from portal.blueprints.training import compliance

        with app.test_request_context():
            hr = db.session.scalar(db.select(User).where(User.username == "bench.hr"))
            login_user(hr)
            result = compliance.matrix(hr)
            assert len(result.people) == PEOPLE and len(result.columns) == PROGRAMMES

    print(f"Compliance matrix, {PEOPLE} people x {PROGRAMMES} programmes, SQLite ({folder})")
    failed = False
    for name, call in (("matrix page", page), ("whole matrix as CSV", csv), ("computed", computed)):
        counted.clear()
        call()
        queries = len(counted)
        times = inprocess.timed(call, ROUNDS, WARM)
        median = statistics.median(times)
        p95 = sorted(times)[int(len(times) * 0.95) - 1]
        met = median < TARGET_MS
        failed = failed or not met
        print(
            f"  {name:22s} median {median:6.1f} ms  p95 {p95:6.1f} ms  queries {queries:2d}  "
            f"{'met' if met else 'NOT met'} (< {TARGET_MS} ms)"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
