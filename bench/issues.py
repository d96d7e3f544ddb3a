"""Stock issues under load: storekeepers issuing one item from one store at once, on gunicorn.

    make bench-issues                           # PostgreSQL (BENCH_PG_URL), about 1 minute
    make bench-issues ARGS="--db both"          # and SQLite
    .venv/bin/python bench/issues.py --help

The inventory issue's targets: issues from 16 workers at once finish with exact final stock and
no lost update, and an issue answers in under 50 ms p95 on PostgreSQL. The run (bench/taps.py)
gives the hotel's main store 999,999 of one item, signs in as the benchmark's manager (who keeps
every store) and drives POST /inventory/items/<id>/move?kind=issue (htmx, the CSRF token, a new
idempotency key on every request) with wrk -c16: every request takes 1 from the same stock row,
the hardest case for a lost update. Each one writes a movement, its audit row and its key.

After every measurement the store's stock must equal what it started with less the issues
written (counted in stock_movements): one lost update and the run fails.

Results go to the terminal and to bench/REPORT-issues.md. Exit status: 0 when the target is
met on every database run, 1 when it is not, 2 when the run failed.
"""

from __future__ import annotations

import secrets
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import load, taps  # noqa: E402
from bench import routes as bench_routes  # noqa: E402

REPORT = ROOT / "bench" / "REPORT-issues.md"
STOCK = Decimal("999999")
LINES = 30000  # more requests than a run sends: no key is sent twice
REFUSED = "not enough for"


def prepare() -> dict:
    """A benchmark item with STOCK in the hotel's main store. In an app context; committed."""
    from sqlalchemy import select

    from portal.blueprints.inventory import stock
    from portal.blueprints.inventory.models import Item, Store
    from portal.blueprints.people.models import User
    from portal.database import write_intent
    from portal.extensions import db

    hotel, _housekeeping = bench_routes._hotel()
    store = db.session.scalar(
        select(Store).where(Store.property_id == hotel.id, Store.kind == "main").limit(1)
    )
    manager = db.session.scalar(
        select(User).where(User.username == bench_routes.credentials("manager")[0])
    )
    with write_intent():
        item = Item(
            property_id=hotel.id,
            code="BENCH-001",
            name_en="Bath towel (benchmark)",
            name_zh="浴巾（测试）",
            category="linen",
            unit="piece",
            unit_cost=Decimal("38.00"),
        )
        db.session.add(item)
        db.session.flush()
        stock.receive(item, store, STOCK, Decimal("38.00"), by=manager, supplier="Benchmark")
        db.session.commit()
    return {"item_id": item.id, "store_id": store.id, "department_id": _housekeeping.id}


def issue_mix(cookie: str, token: str, prepared: dict) -> list[str]:
    path = f"/inventory/items/{prepared['item_id']}/move?kind=issue"
    return [
        f"{path}\t{cookie}\t1\t"
        + urlencode(
            {
                "csrf_token": token,
                "idempotency_key": secrets.token_urlsafe(18),
                "store_id": prepared["store_id"],
                "quantity": "1",
                "department_id": prepared["department_id"],
                "note": "",
            }
        )
        for _ in range(LINES)
    ]


def _first_tap(prepared: dict, token: str) -> tuple[str, dict, str]:
    return (
        f"/inventory/items/{prepared['item_id']}/move?kind=issue",
        {
            "csrf_token": token,
            "idempotency_key": secrets.token_urlsafe(18),
            "store_id": prepared["store_id"],
            "quantity": "1",
            "department_id": prepared["department_id"],
        },
        'id="move-form"',  # the form again, for the next movement
    )


def _written(url: str) -> int:
    """Issues of the benchmark item written so far; fails the run when the stock row does not
    equal what it started with less them (a lost update)."""
    from sqlalchemy import create_engine, func, select

    from bench.bare import database_url
    from portal.blueprints.inventory.models import Item, Movement, StockLevel

    engine = create_engine(database_url(url))
    try:
        with engine.connect() as conn:
            item_id = conn.scalar(select(Item.id).where(Item.code == "BENCH-001"))
            # One statement, one snapshot: a request that a worker still finishes after wrk
            # stopped must not commit between the count and the stock read.
            issued = (
                select(func.count())
                .select_from(Movement)
                .where(Movement.item_id == item_id, Movement.kind == "issue")
                .scalar_subquery()
            )
            row = conn.execute(
                select(StockLevel.on_hand, issued).where(StockLevel.item_id == item_id)
            ).one()
            left, issued = row[0], row[1]
    finally:
        engine.dispose()
    if Decimal(left) != STOCK - issued:
        raise load.BenchFailure(
            f"lost update: {issued} issues written, but the stock is {left}, not {STOCK - issued}"
        )
    load.log(f"  stock {left} = {STOCK} - {issued} issues: no update lost")
    return issued


BENCH = taps.TapBench(
    title="Stock issues under load",
    command="make bench-issues (bench/issues.py)",
    role="manager",
    connections=16,
    target_p95_ms=50.0,
    report=REPORT,
    what="Each request issues 1 of the same item from the same store (htmx POST of the "
    "movement form, with the CSRF token and a new idempotency key): one atomic UPDATE of the "
    "stock row, a movement, its audit row and the key written.",
    refused_text=REFUSED,
    prepare=prepare,
    page=lambda prepared: "/inventory/",
    lines=issue_mix,
    first_tap=_first_tap,
    written=_written,
)


if __name__ == "__main__":
    sys.exit(taps.main(BENCH, __doc__))
