"""The large data set of the load benchmark, added to the demo data (`flask seed-demo` first):

- 3,000 more people in one department (the hotel's housekeeping, which the demo supervisor
  supervises: 60 -> 3,060 people);
- 300 more SOPs at the hotel (numbers LG-001 ...), owned by four back-office departments, each
  with an approved version in force (every fourth with an older version before it), steps, and
  an audience: housekeeping, everyone, the owner department, or its supervisors;
- a year of acknowledgements by the new people (about 60% of what they must read), and some
  reminders.

Rows go in as bulk inserts of plain values; every new person carries one precomputed hash of
the demo PIN (hashing 3,000 secrets would take minutes). Nothing here writes the audit trail:
this is measuring data, not the hotel's history.

    PORTAL_INSTANCE_PATH=... [PORTAL_DATABASE_URL=...] .venv/bin/python bench/seed_large.py
"""

from __future__ import annotations

import sys
import time
import zlib
from datetime import timedelta
from pathlib import Path

PEOPLE = 3000
SOPS = 300
PREFIX = "LG-"
STAFF_PREFIX = "L"
OWNER_DEPARTMENTS = ("ENG", "STR", "FIT", "HR")  # the binders of the demo stay as they are
CHUNK = 5000


def _spread(*parts) -> int:
    """A stable pseudo-random number from the parts (the same data set on every run)."""
    return zlib.crc32("/".join(map(str, parts)).encode())


def _insert(table, rows: list[dict]) -> None:
    from portal.extensions import db

    for start in range(0, len(rows), CHUNK):
        db.session.execute(table.insert(), rows[start : start + CHUNK])


def _copy(table, rows: list[dict]) -> None:
    """Many rows whose every column is given: COPY on PostgreSQL (ten times faster than
    INSERT), INSERT elsewhere. Datetimes go in as the naive UTC the columns hold."""
    from datetime import UTC

    from portal.extensions import db

    if not rows or db.engine.dialect.name != "postgresql":
        _insert(table, rows)
        return
    columns = list(rows[0])
    raw = db.session.connection().connection.driver_connection
    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(
                [
                    v.astimezone(UTC).replace(tzinfo=None) if hasattr(v, "astimezone") else v
                    for v in (row[c] for c in columns)
                ]
            )


def seed_large(people: int = PEOPLE, sops: int = SOPS) -> dict[str, int]:
    """Add the large data set (in an app context); returns the numbers of rows added."""
    from sqlalchemy import select, text

    from portal.blueprints.people.demo import DEMO_PIN, GIVEN, SURNAMES
    from portal.blueprints.people.models import Department, Property, User, hash_secret
    from portal.blueprints.sops.models import (
        Sop,
        SopAcknowledgement,
        SopAudience,
        SopReminder,
        SopStep,
        SopVersion,
    )
    from portal.blueprints.sops.services import key_of
    from portal.database import utcnow, write_intent
    from portal.extensions import db
    from portal.i18n import local_today

    hotel = db.session.scalar(select(Property).where(Property.code == "HTL"))
    if hotel is None:
        raise SystemExit("no demo data: run `flask seed-demo` first")
    if db.session.scalar(select(Sop.id).where(Sop.number == f"{PREFIX}001")):
        raise SystemExit("the large data set is there already")
    departments = {
        d.code: d.id
        for d in db.session.scalars(select(Department).where(Department.property_id == hotel.id))
    }
    housekeeping = departments["HK"]
    hr = db.session.scalar(
        select(User.id).where(User.property_id == hotel.id, User.role == "hr").order_by(User.id)
    )
    manager = db.session.scalar(
        select(User.id)
        .where(User.property_id == hotel.id, User.role == "manager")
        .order_by(User.id)
    )
    supervisor = db.session.scalar(
        select(User.id)
        .where(User.property_id == hotel.id, User.role == "supervisor")
        .order_by(User.id)
    )
    now = utcnow()
    today = local_today()
    pin_hash = hash_secret(DEMO_PIN)  # one hash, reused: every new person's PIN is the demo's
    counts: dict[str, int] = {}

    with write_intent():
        # --- people ---------------------------------------------------------------------------
        rows = []
        for n in range(people):
            surname = SURNAMES[n % len(SURNAMES)]
            given = GIVEN[(n * 7 + n // len(SURNAMES)) % len(GIVEN)]
            rows.append(
                {
                    "property_id": hotel.id,
                    "department_id": housekeeping,
                    "staff_no": f"{STAFF_PREFIX}{n + 1:05d}",
                    "name_en": f"{surname[1]} {given[1]}",
                    "name_zh": f"{surname[0]}{given[0]}",
                    "role": "employee",
                    "grade": "senior" if n % 5 == 0 else "junior",
                    "hire_date": today - timedelta(days=30 + _spread("hire", n) % 1800),
                    "phone": f"+86 139 {n // 10000:04d} {n % 10000:04d}",
                    "locale": "zh_Hans" if n % 3 == 0 else None,
                    "active": n % 40 != 39,
                    "pin_hash": pin_hash,
                }
            )
        _insert(User.__table__, rows)
        counts["people"] = len(rows)
        person_ids = list(
            db.session.scalars(
                select(User.id)
                .where(User.property_id == hotel.id, User.staff_no.startswith(STAFF_PREFIX))
                .order_by(User.staff_no)
            )
        )

        # --- SOPs, audiences, versions, steps ---------------------------------------------------
        owners = [departments[code] for code in OWNER_DEPARTMENTS]
        _insert(
            Sop.__table__,
            [
                {
                    "property_id": hotel.id,
                    "department_id": owners[n % len(owners)],
                    "number": f"{PREFIX}{n + 1:03d}",
                    "yearly_ack": n % 10 == 9,
                }
                for n in range(sops)
            ],
        )
        sop_rows = db.session.execute(
            select(Sop.id, Sop.department_id)
            .where(Sop.property_id == hotel.id, Sop.number.startswith(PREFIX))
            .order_by(Sop.number)
        ).all()
        audiences = []
        reads_housekeeping = []  # (sop index, sop id) of the SOPs the new people must read
        for n, (sop_id, owner) in enumerate(sop_rows):
            kind = n % 4
            if kind == 0:  # housekeeping reads it
                audiences.append({"sop_id": sop_id, "department_id": housekeeping, "role": None})
            elif kind == 1:  # everyone at the hotel
                audiences.append({"sop_id": sop_id, "department_id": None, "role": None})
            elif kind == 2:  # the owner department
                audiences.append({"sop_id": sop_id, "department_id": owner, "role": None})
            else:  # the supervisors of every department, and the owner department
                audiences.append({"sop_id": sop_id, "department_id": None, "role": "supervisor"})
                audiences.append({"sop_id": sop_id, "department_id": owner, "role": None})
            if kind in (0, 1):
                reads_housekeeping.append((n, sop_id))
        _insert(SopAudience.__table__, audiences)
        counts["audiences"] = len(audiences)

        versions = []
        for n, (sop_id, _owner) in enumerate(sop_rows):
            two = n % 4 == 3 or n % 8 == 1
            first_effective = today - timedelta(days=200 + _spread("v1", n) % 160)
            issues = [(1, first_effective)]
            if two:
                issues.append((2, today - timedelta(days=5 + _spread("v2", n) % 150)))
            for major, effective in issues:
                versions.append(
                    {
                        "sop_id": sop_id,
                        "major": major,
                        "minor": 0,
                        "version_key": key_of(major, 0),
                        "status": "approved",
                        "title_en": f"Back-of-house procedure {n + 1}",
                        "title_zh": f"后台操作规程 {n + 1}",
                        "purpose_en": "Keep the work safe, clean and the same on every shift.",
                        "purpose_zh": "确保每个班次的工作安全、整洁、统一。",
                        "scope_en": "Everyone named in the audience.",
                        "scope_zh": "受众中列出的所有人员。",
                        "change_summary_en": "First issue." if major == 1 else "New steps.",
                        "change_summary_zh": "首次发布。" if major == 1 else "新增步骤。",
                        "author_id": hr,
                        "submitted_at": now - timedelta(days=(today - effective).days + 3),
                        "approver_id": manager,
                        "approved_at": now - timedelta(days=(today - effective).days + 2),
                        "effective_date": effective,
                        "review_date": effective + timedelta(days=365),
                    }
                )
        _insert(SopVersion.__table__, versions)
        counts["versions"] = len(versions)
        by_sop: dict[int, list[tuple[int, int, object]]] = {}
        for version_id, sop_id, major, effective in db.session.execute(
            select(SopVersion.id, SopVersion.sop_id, SopVersion.major, SopVersion.effective_date)
            .join(Sop, Sop.id == SopVersion.sop_id)
            .where(Sop.number.startswith(PREFIX))
            .order_by(SopVersion.sop_id, SopVersion.major)
        ):
            by_sop.setdefault(sop_id, []).append((version_id, major, effective))
        steps = []
        for n, version_list in enumerate(by_sop.values()):
            for version_id, major, _effective in version_list:
                for position in range(1, 4 + major):
                    steps.append(
                        {
                            "version_id": version_id,
                            "position": position,
                            "kind": "warning" if position == 2 else "step",
                            "key_point": position == 1,
                            "text_en": f"Step {position} of procedure {n + 1}: check, do, record.",
                            "text_zh": f"规程 {n + 1} 第 {position} 步：检查、操作、记录。",
                            "note_en": "Wear gloves." if position == 2 else "",
                            "note_zh": "戴好手套。" if position == 2 else "",
                        }
                    )
        _insert(SopStep.__table__, steps)
        counts["steps"] = len(steps)

        # --- a year of acknowledgements, and reminders --------------------------------------
        demo_housekeeping = [
            (f"demo{sop_id}", sop_id)
            for sop_id in db.session.scalars(
                select(Sop.id).where(
                    Sop.property_id == hotel.id,
                    ~Sop.number.startswith(PREFIX),
                    Sop.department_id == housekeeping,
                )
            )
        ]
        demo_versions = {}
        for version_id, sop_id, major, minor, effective in db.session.execute(
            select(
                SopVersion.id,
                SopVersion.sop_id,
                SopVersion.major,
                SopVersion.minor,
                SopVersion.effective_date,
            ).where(
                SopVersion.sop_id.in_([s for _n, s in demo_housekeeping]),
                SopVersion.status == "approved",
            )
        ):
            demo_versions.setdefault(sop_id, []).append(
                (version_id, key_of(major, minor), effective)
            )
        keys = {}
        for sop_id, version_list in by_sop.items():
            keys[sop_id] = [(v, key_of(major, 0), eff) for v, major, eff in version_list]
        keys.update(demo_versions)
        acks = []
        reminders = []
        for tag, sop_id in reads_housekeeping + demo_housekeeping:
            issues = sorted(keys.get(sop_id, []), key=lambda item: item[1])
            for p, person_id in enumerate(person_ids):
                roll = _spread(tag, p) % 100
                for i, (version_id, version_key, effective) in enumerate(issues):
                    # 60% read the newest version, 80% had read the one before it.
                    if roll >= (60 if i == len(issues) - 1 else 80):
                        continue
                    day = effective + timedelta(days=roll % 40)
                    if day > today:
                        continue
                    acks.append(
                        {
                            "sop_id": sop_id,
                            "version_id": version_id,
                            "version_key": version_key,
                            "user_id": person_id,
                            "acknowledged_at": now
                            - timedelta(days=(today - day).days, minutes=roll * 7 + p % 60),
                        }
                    )
                if roll == 99 and p % 3 == 0:
                    reminders.append(
                        {
                            "sop_id": sop_id,
                            "user_id": person_id,
                            "reminded_by_id": supervisor,
                            "reminded_at": now - timedelta(days=roll % 7, hours=p % 9),
                        }
                    )
        _copy(SopAcknowledgement.__table__, acks)
        _copy(SopReminder.__table__, reminders)
        counts["acknowledgements"] = len(acks)
        counts["reminders"] = len(reminders)
        db.session.commit()
    if db.engine.dialect.name == "postgresql":  # as autovacuum would, soon after such a load
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    return counts


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from portal import create_app

    app = create_app()
    start = time.perf_counter()
    with app.app_context():
        counts = seed_large()
    took = time.perf_counter() - start
    print(", ".join(f"{n} {what}" for what, n in counts.items()) + f" added in {took:.1f} s")


if __name__ == "__main__":
    main()
