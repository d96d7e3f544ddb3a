"""The room-status board for 400 rooms, on SQLite, in process.

Builds a fresh SQLite database in a temporary instance folder: one hotel, 16 floors of 25 rooms
of two types, 20 attendants with today's lists (every room on one), some rooms being cleaned,
some clean, some inspected, rush and do-not-disturb among them. Then, signed in as the
housekeeping supervisor through the real sign-in, it asks for:

- the board page (`/rosters/`: every room drawn),
- the board's poll when something changed (the fragment, HX-Request),
- the board's poll when nothing changed (HX-Request with the ETag it was given: 304),

each 50 times after 5 warm-ups, and prints the median, p95 and the number of queries. Targets
(the rosters issue): the poll that finds nothing new answers in under 10 ms; the board in a
fixed number of queries (tests/rosters/query_counts.py asserts it).

    make bench-board        (or .venv/bin/python bench/board.py)
"""

from __future__ import annotations

import statistics
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import inprocess  # noqa: E402

FLOORS = 16
PER_FLOOR = 25
ATTENDANTS = 20
ROUNDS = 50
WARM = 5
POLL_TARGET_MS = 10


def build() -> None:
    from werkzeug.security import generate_password_hash

    from portal.blueprints.people.models import Department, Property, Role, User
    from portal.blueprints.rosters.models import Assignment, Room, RoomType
    from portal.extensions import db
    from portal.i18n import local_today

    prop = Property(code="BCH", name_en="Bench Hotel", name_zh="基准酒店")
    db.session.add(prop)
    db.session.flush()
    hk = Department(property_id=prop.id, code="HK", name_en="Housekeeping", name_zh="客房部")
    db.session.add(hk)
    db.session.flush()
    boss = User(
        property_id=prop.id,
        department_id=hk.id,
        staff_no="B0001",
        username="bench.hk",
        name_en="Bench Supervisor",
        name_zh="基准主管",
        role=Role.SUPERVISOR,
        password_hash=generate_password_hash("bench-pass-2026"),
    )
    boss.supervises = [hk]
    people = [
        User(
            property_id=prop.id,
            department_id=hk.id,
            staff_no=f"B1{n:03d}",
            name_en=f"Attendant {n}",
            name_zh=f"服务员{n}",
            role=Role.EMPLOYEE,
        )
        for n in range(ATTENDANTS)
    ]
    db.session.add_all([boss, *people])
    kinds = [
        RoomType(property_id=prop.id, code="STD", name_en="Standard", name_zh="标准间"),
        RoomType(property_id=prop.id, code="DLX", name_en="Deluxe", name_zh="豪华间"),
    ]
    db.session.add_all(kinds)
    db.session.flush()
    statuses = ["dirty", "dirty", "cleaning", "clean", "inspected", "inspected"]
    rooms = []
    for floor in range(3, 3 + FLOORS):
        for i in range(1, PER_FLOOR + 1):
            n = len(rooms)
            rooms.append(
                Room(
                    property_id=prop.id,
                    number=f"{floor}{i:02d}",
                    floor=floor,
                    room_type_id=kinds[i % 2].id,
                    status=statuses[n % len(statuses)],
                    occupancy=("departure", "stayover", "vacant")[n % 3],
                    rush=n % 37 == 0,
                )
            )
    db.session.add_all(rooms)
    db.session.flush()
    today = local_today()
    for n, room in enumerate(rooms):
        db.session.add(
            Assignment(
                property_id=prop.id,
                day=today,
                room_id=room.id,
                attendant_id=people[n % ATTENDANTS].id,
                position=n // ATTENDANTS + 1,
                occupancy=room.occupancy,
                credits=Decimal("1.5"),
                deferral="dnd" if n % 53 == 0 else None,
            )
        )
    db.session.commit()


def main() -> int:
    from sqlalchemy import event

    from portal.extensions import db

    app, folder = inprocess.fresh_app("staffroom-board-")
    with app.app_context():
        build()
        engine = db.engine
    counted = []
    event.listen(engine, "before_cursor_execute", lambda *a, **k: counted.append(1))
    client = inprocess.signed_in(app, "bench.hk", "bench-pass-2026")
    if client is None:
        return 1
    tag = client.get("/rosters/").headers["ETag"]
    rooms = FLOORS * PER_FLOOR

    def page():
        response = client.get("/rosters/")
        assert response.status_code == 200
        assert response.get_data(as_text=True).count('class="portal-room ') == rooms

    def fragment():
        response = client.get("/rosters/", headers={"HX-Request": "true"})
        assert response.status_code == 200 and "portal-header" not in response.get_data(True)

    def unchanged():
        response = client.get("/rosters/", headers={"HX-Request": "true", "If-None-Match": tag})
        assert response.status_code == 304 and response.get_data() == b""

    print(f"Room-status board, {rooms} rooms, SQLite ({folder})")
    failed = False
    for name, call, target in (
        ("board page", page, None),
        ("poll, something changed", fragment, None),
        ("poll, nothing changed", unchanged, POLL_TARGET_MS),
    ):
        counted.clear()
        call()
        queries = len(counted)
        times = inprocess.timed(call, ROUNDS, WARM)
        median = statistics.median(times)
        p95 = sorted(times)[int(len(times) * 0.95) - 1]
        verdict = ""
        if target is not None:
            met = p95 < target
            failed = failed or not met
            verdict = f"{'met' if met else 'NOT met'} (p95 < {target} ms)"
        print(
            f"  {name:26s} median {median:6.1f} ms  p95 {p95:6.1f} ms  queries {queries:2d}  "
            + verdict
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
