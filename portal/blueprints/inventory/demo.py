"""Demo stores and a year of stock at the Harbour View Hotel and the Lotus Spa.

The hotel keeps a main store (stores and purchasing), the linen room and a pantry on each floor
that has rooms (housekeeping); the spa its spa store and a main store. The hotel stocks about
150 items in the seven categories, the spa about thirty of its own; each room type of the hotel
has its par kit (the four towels, toiletries, cups, slippers, tea, water, notepad and pen; the
hangers and the cloth laundry bag stay in the room).

A year of movements lies behind today: deliveries from named suppliers whenever an item fell to
its reorder point (a third of the prices went up half a year ago), the departments'
requisitions, each floor pantry stocked from the main store every two months (half the floors
one month, half the next) and what its rooms used reported in one issue, worn linen written off
in the linen room and replaced each quarter, a few losses, a banquet's unused candles returned,
an issue booked to the wrong department and reversed, and the past supply requests with their
issues. Some of yesterday's and today's cleaned rooms were topped up from their floor's pantry.
About 3,800 movements in all, written in a few statements (under a second).

Today, five items of the hotel's main store are at or below their reorder point (cling film
with a purchase request already open), and supply requests wait in every state: three open
(two for Susan Wu, who supervises housekeeping and food and beverage, one from engineering for
a manager), one approved for less than asked and waiting for the store, several issued, one
refused, one cancelled; at the spa one waits for Ivy He. The spa's main store belongs to its
stores and purchasing department, which has nobody yet: its manager keeps it.

demo_items.json is plain data, each property's items: code (its prefix names the category),
English and Chinese names, unit, today's unit cost, and how the item moves:
  "flow": "pantry"  a guest-room consumable of the par kit, kept in the floor pantries;
                    "rate": the share of its par a room uses in a night;
          "float"   a kept item of the par kit (hangers), put in the pantries once;
          "linen"   room linen: "linen_room" pieces in the linen room, "use" worn out a month;
          "spa"     a spa supply, moved to the spa store and issued to the spa from there;
          (none)    issued from the main store to the departments of "to" (their shares of
                    "use", the quantity a month);
  "custodian": true  valuable: issued by its custodian only (a storekeeper);
  "reorder": false   bought when needed, without a reorder point.
"""

from __future__ import annotations

import json
import math
import random
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources

from sqlalchemy import insert, select

from portal.blueprints.inventory import requests as supply
from portal.blueprints.inventory.models import (
    SIGN,
    Budget,
    Category,
    Item,
    Kind,
    LossReason,
    Movement,
    ParItem,
    PurchaseRequest,
    PurchaseStatus,
    RequestLine,
    RequestStatus,
    StockLevel,
    Store,
    StoreKind,
    SupplyRequest,
    TopUp,
)
from portal.blueprints.people import services as people
from portal.blueprints.people.models import Department, Property, Role, User
from portal.database import utcnow
from portal.extensions import db
from portal.i18n import local_day_start, local_today

DATA = "demo_items.json"
SEED = 20261207
DAYS = 365  # of history; day 0 is a year ago, day DAYS today
CENT = Decimal("0.01")
ZERO = Decimal("0")

CATEGORIES = {
    "LIN": Category.LINEN,
    "TOI": Category.TOILETRIES,
    "AME": Category.AMENITIES,
    "CHM": Category.CHEMICALS,
    "FNB": Category.FNB,
    "STA": Category.STATIONERY,
    "SPR": Category.SPARES,
}
# How many months of use the main store orders at a time.
ORDER_MONTHS = {"LIN": 6, "TOI": 2, "AME": 2, "CHM": 3, "FNB": 3, "STA": 4, "SPR": 6}
# How busy each calendar month is (the Spring Festival, May Day, the summer, Golden Week).
SEASON = (0.85, 1.05, 0.9, 0.95, 1.05, 0.95, 1.15, 1.2, 0.95, 1.15, 0.9, 0.95)
MONTH = 365 / 12

SUPPLIERS = {
    "LIN": ("Huamei Linen / 华美布草", "Jiayi Textiles / 佳怡纺织"),
    "TOI": ("Lanting Hotel Amenities / 兰亭酒店用品",),
    "AME": ("Lanting Hotel Amenities / 兰亭酒店用品", "Yuanshan Paper / 远山纸业"),
    "CHM": ("Jieneng Cleaning Supplies / 洁能清洁用品", "Qingyuan Chemicals / 清源化工"),
    "FNB": ("Hengsheng Catering Supplies / 恒盛餐饮用品",),
    "STA": ("Wenhua Office Supplies / 文华办公用品", "Harbour Print / 海港印务"),
    "SPR": ("Mingliang Electrical / 明亮电器", "Dongfang Hardware / 东方五金"),
}
SPA_SUPPLIERS = {
    **SUPPLIERS,
    "TOI": ("Lanxiang Spa Supplies / 兰香水疗用品",),
    "AME": ("Lanxiang Spa Supplies / 兰香水疗用品",),
}

# The par kit of each of the rosters demo's room types (another type gets the standard one).
_STANDARD = {
    "LIN-001": 2,  # bath towel
    "LIN-002": 2,  # hand towel
    "LIN-003": 2,  # face towel
    "LIN-004": 1,  # bath mat
    "TOI-001": 2,  # shampoo
    "TOI-002": 2,  # conditioner
    "TOI-003": 2,  # body wash
    "TOI-005": 2,  # soap
    "TOI-006": 2,  # dental kit
    "TOI-007": 2,  # shower cap
    "AME-001": 2,  # slippers
    "AME-002": 2,  # paper cups
    "AME-003": 2,  # green tea
    "AME-008": 2,  # mineral water
    "AME-009": 1,  # cloth laundry bag (kept)
    "AME-010": 6,  # hangers (kept)
    "STA-001": 1,  # notepad
    "STA-002": 1,  # pen
}
_DELUXE = {**_STANDARD, "TOI-004": 2, "AME-004": 2, "AME-005": 2}
PAR = {
    "STD": _STANDARD,
    "DLX": _DELUXE,
    "STE": {
        **_DELUXE,
        **{"LIN-001": 4, "LIN-002": 4, "LIN-003": 4, "LIN-004": 2, "LIN-013": 2},
        **{"TOI-008": 2, "TOI-011": 1, "AME-010": 10},
    },
}
KEPT = {"AME-009", "AME-010"}  # stay in the room: not taken away at a departure

# At or below their reorder point in the hotel's main store today; the first is on order.
LOW = ("FNB-005", "CHM-005", "STA-011", "SPR-005", "TOI-006")

# Past supply requests, issued: days ago, department, for where, note, (item, asked, approved).
ISSUED_REQUESTS = (
    (300, "HK", "Floor 3 trolley / 3楼工作车", None, (("CHM-021", 20, 20), ("CHM-020", 10, 10))),
    (255, "FB", "Harbour restaurant / 海港餐厅", None, (("FNB-001", 40, 40), ("FNB-004", 4, 4))),
    (
        210,
        "HK",
        "Public areas / 公共区域",
        "Deep clean of the lobby floor / 大堂地面深度清洁",
        (("CHM-009", 20, 15), ("CHM-002", 5, 5)),
    ),
    (
        160,
        "FB",
        "Banquet hall, wedding / 宴会厅婚宴",
        None,
        (("FNB-014", 6, 6), ("FNB-015", 60, 60), ("LIN-018", 20, 20)),
    ),
    (120, "HK", "Floor 9 suites / 9楼套房", None, (("TOI-010", 20, 20), ("AME-015", 100, 100))),
    (75, "FB", "Lobby bar / 大堂吧", None, (("FNB-002", 10, 10), ("FNB-019", 3, 3))),
    (40, "HK", "Laundry / 洗衣房", None, (("CHM-008", 4, 4), ("CHM-020", 10, 6))),
    (
        12,
        "FB",
        "Room service / 送餐部",
        None,
        (("FNB-007", 6, 6), ("FNB-008", 5, 5), ("FNB-023", 2, 2)),
    ),
)
REFUSED_REQUEST = (
    20,
    "FB",
    "Banquet hall, Saturday wedding / 宴会厅周六婚宴",
    "For the tables and the stage / 餐桌和舞台用",
    (("FNB-014", 30),),
    "The banquet store room still has 25 boxes: use those first. / 宴会备品间还有25盒，请先用完。",
)
CANCELLED_REQUEST = (9, "HK", "Floor 4 pantry / 4楼工作间", None, (("AME-013", 10),))
# Asked today, through the service: department, for where, note, (item, quantity).
OPEN_REQUESTS = (
    (
        "HK",
        "Floor 7 trolley / 7楼工作车",
        "Our cloths are worn thin / 抹布已磨薄",
        (("CHM-021", 10), ("CHM-020", 5), ("CHM-002", 2)),
    ),
    ("FB", "Harbour restaurant / 海港餐厅", None, (("FNB-001", 20), ("FNB-003", 2))),
    (
        "ENG",
        "Room 812 bathroom / 812房卫生间",
        "Dripping tap, mouldy sealant / 龙头滴水，玻璃胶发霉",
        (("SPR-016", 2), ("SPR-017", 2)),
    ),
)
APPROVED_REQUEST = (
    "HK",
    "Lobby and public restrooms / 大堂及公共洗手间",
    None,
    (("CHM-009", 10, 5), ("TOI-016", 6, 6)),
    "Half the floor cleaner now, the rest next week. / 地面清洁剂先领一半，其余下周再领。",
)
SPA_ISSUED_REQUEST = (
    30,
    "Treatment rooms / 理疗室",
    None,
    (("TOI-002", 3, 3), ("AME-004", 6, 6)),
)
SPA_OPEN_REQUEST = (
    "Treatment room 3 / 3号理疗室",
    "Couples' package this weekend / 本周末双人套餐",
    (("TOI-001", 2), ("AME-004", 4)),
)
# Written off in the spa store: days ago, item, quantity, reason, note.
SPA_LOSSES = (
    (70, "LIN-001", 4, LossReason.STAINED, "Massage oil that would not wash out / 按摩油渍洗不掉"),
    (130, "TOI-001", 1, LossReason.EXPIRED, None),
)
# What a stay-over room is found short of (of its kit).
STAYOVER_SHORTS = ("AME-008", "AME-002", "AME-003", "TOI-001", "STA-001", "AME-009")

OPENING_NOTE = "Opening stock, counted when the store went live / 上线期初盘点"
USED_NOTE = "Used in the rooms of floor {floor} / {floor}楼客房用量"
SPA_USED_NOTE = "Used in the treatment rooms / 理疗室用量"
LINEN_NOTE = "Replacing worn linen / 补充报废布草"
LEAK_NOTE = "Carton soaked by a leak in the store / 仓库漏水，整箱受潮"
RETURN_NOTE = "Banquet cancelled, boxes unopened / 宴会取消，整盒未拆"
WRONG_NOTE = (
    "Booked to Food & Beverage by mistake: the tubes went to Engineering. "
    "/ 误记为餐饮部，实为工程部领用。"
)


def demo_items() -> dict[str, list[dict]]:
    text = resources.files(__package__).joinpath(DATA).read_text(encoding="utf-8")
    return json.loads(text)


@dataclass(eq=False)
class _Item:
    spec: dict
    id: int = 0

    @property
    def code(self) -> str:
        return self.spec["code"]

    @property
    def prefix(self) -> str:
        return self.code[:3]

    @property
    def whole(self) -> bool:
        return self.spec["unit"] not in ("litre", "kg")

    @property
    def cost(self) -> Decimal:
        return Decimal(self.spec["cost"])

    @property
    def flow(self) -> str | None:
        return self.spec.get("flow")

    @property
    def use(self) -> float:
        return float(self.spec.get("use", 0))


@dataclass(eq=False)
class _Move:
    at: datetime
    kind: Kind
    item: _Item
    store: Store
    quantity: Decimal
    by: User | None = None  # None: one of the store's keepers (the ledger picks)
    to_store: Store | None = None
    department: Department | None = None
    room_id: int | None = None
    person: User | None = None
    supplier: str | None = None
    reason: str | None = None
    note: str | None = None
    request: SupplyRequest | None = None
    reverses: _Move | None = None
    unit_cost: Decimal | None = None  # set last, from the deliveries' prices

    @property
    def change(self) -> Decimal:
        if self.reverses is not None:
            return -self.reverses.change
        return SIGN[self.kind] * self.quantity

    def delta(self, store: Store) -> Decimal:
        """What it does to the stock of `store`."""
        if self.store is store:
            return self.change
        if self.to_store is store:
            return -self.change
        return ZERO


class _Ledger:
    """One property's stores, items and year of movements, worked out in memory and written in
    a few statements."""

    def __init__(self, prop: Property, specs: list[dict], suppliers: dict, seed: int):
        self.prop = prop
        self.rng = random.Random(seed)
        self.now = utcnow()
        self.today = local_today()
        self.start = self.today - timedelta(days=DAYS)
        self.suppliers = suppliers
        self.items = {s["code"]: _Item(s) for s in specs}
        self.moves: list[_Move] = []
        # (store id, item id) -> reorder point and quantity; when it was last counted
        self.params: dict[tuple[int, int], tuple[Decimal, Decimal]] = {}
        self.counted: dict[tuple[int, int], datetime] = {}
        self.low_at: dict[str, datetime] = {}  # item code -> when it fell to its point
        self.custodian: User | None = None  # of the valuable items
        self._day_starts: dict[int, datetime] = {}
        self._keepers: dict[int, list[User]] = {}
        self._people()

    # --- people ------------------------------------------------------------------------------
    def _people(self) -> None:
        self.departments = {
            d.code: d
            for d in db.session.scalars(
                select(Department).where(Department.property_id == self.prop.id)
            )
        }
        staff = list(
            db.session.scalars(people.people_at(self.prop.id).order_by(User.staff_no, User.id))
        )
        self.by_username = {u.username: u for u in staff if u.username}
        self.staff_of: dict[int, list[User]] = defaultdict(list)
        for person in staff:
            if person.role == Role.EMPLOYEE and person.department_id is not None:
                self.staff_of[person.department_id].append(person)
        self.managers = [u for u in staff if u.role in (Role.MANAGER, Role.ADMIN)] or staff[:1]

    def employees(self, code: str) -> list[User]:
        department = self.departments.get(code)
        return list(self.staff_of.get(department.id, [])) if department else []

    def supervisor_of(self, code: str) -> User | None:
        department = self.departments.get(code)
        found = people.supervisors_of(department.id) if department else []
        return found[0] if found else (self.managers[0] if self.managers else None)

    def keepers(self, store: Store) -> list[User]:
        """Who moves the store's stock: its department's people, else its supervisors, else
        the property's managers."""
        found = self._keepers.get(store.id)
        if found is None:
            found = self._keepers[store.id] = (
                list(self.staff_of.get(store.department_id, []))
                or people.supervisors_of(store.department_id)
                or self.managers[:1]
            )
        return found

    # --- time --------------------------------------------------------------------------------
    def at(self, day: int, hours: float) -> datetime:
        """A moment of a local day (0: a year ago), `hours` after its midnight."""
        start = self._day_starts.get(day)
        if start is None:
            start = self._day_starts[day] = local_day_start(self.date_of(day))
        return (start + timedelta(hours=hours)).replace(microsecond=0)

    def date_of(self, day: int) -> date:
        return self.start + timedelta(days=day)

    def workday(self, day: int, last: int = DAYS - 4) -> int:
        """The day (at most `last`), or the Monday after it when it is a Sunday."""
        day = max(0, min(day, last))
        if self.date_of(day).weekday() == 6:
            day = day + 1 if day < last else day - 1
        return day

    def month_day(self, month: int, offset: int) -> int:
        """A working day of a month of the year behind today (month 0 begins a year ago)."""
        return self.workday(round(month * MONTH) + offset)

    def season(self, day: int) -> float:
        return SEASON[self.date_of(day).month - 1]

    # --- quantities --------------------------------------------------------------------------
    def amount(self, item: _Item, value: float) -> Decimal:
        """A quantity as people count it: whole pieces, half litres and kilograms."""
        if item.whole:
            return Decimal(max(0, round(value)))
        return Decimal(max(0, round(value * 2))) / 2

    def order_size(self, item: _Item, value: float) -> Decimal:
        """Rounded up to what a supplier delivers: cartons of 5, 10 or 50, cans of 5 litres."""
        if not item.whole:
            return Decimal(max(5, 5 * math.ceil(value / 5)))
        step = 50 if value > 300 else 10 if value > 40 else 5 if value > 10 else 1
        return Decimal(max(1, step * math.ceil(value / step)))

    # --- movements ---------------------------------------------------------------------------
    def add(self, move: _Move) -> _Move:
        if move.by is None:
            if move.item.spec.get("custodian") and self.custodian is not None:
                move.by = self.custodian
            else:
                move.by = self.rng.choice(self.keepers(move.store))
        self.moves.append(move)
        return move

    def move(self, at, kind: Kind, item: _Item, store: Store, quantity, **fields) -> _Move:
        return self.add(_Move(at, kind, item, store, Decimal(quantity), **fields))

    def issue(self, at, item: _Item, store: Store, quantity, department, **fields) -> _Move:
        """An issue to a department, most often collected by one of its people."""
        if "person" not in fields:
            crew = self.staff_of.get(department.id, [])
            fields["person"] = self.rng.choice(crew) if crew and self.rng.random() < 0.6 else None
        return self.move(at, Kind.ISSUE, item, store, quantity, department=department, **fields)

    def issues(self, main: Store) -> None:
        """The departments' requisitions of what the main store issues to them directly:
        monthly for what they use much of, every two or three months for the rest."""
        for item in self.items.values():
            shares = item.spec.get("to") if item.flow is None else None
            if not shares:
                continue
            total = sum(shares.values())
            for n, (code, share) in enumerate(shares.items()):
                department = self.departments.get(code)
                if department is None:
                    continue
                monthly = item.use * share / total
                value = monthly * float(item.cost)
                every = 1 if monthly >= 40 or value >= 800 else 2 if value >= 150 else 3
                if n > 0 and value < 1500:  # another department's share: now and then
                    every = max(every, 3)
                on_day = self.rng.randint(2, 24)
                for month in range(self.rng.randrange(every), 12, every):
                    day = self.month_day(month, on_day + self.rng.randint(-2, 2))
                    expected = monthly * every * self.season(day)
                    quantity = self.amount(item, expected * self.rng.uniform(0.8, 1.2))
                    if quantity <= 0:  # used now and then: one, some months
                        if self.rng.random() >= expected:
                            continue
                        quantity = Decimal(1) if item.whole else Decimal("0.5")
                    at = self.at(day, self.rng.uniform(9, 16.5))
                    self.issue(at, item, main, quantity, department)

    # --- the main store ----------------------------------------------------------------------
    def replenish(self, main: Store, low: tuple[str, ...] = ()) -> None:
        """The main store's deliveries: the opening count when the store went live, then an
        order whenever an item fell to its reorder point, delivered a few days later (at once
        when the store ran short). The items of `low` are at or below their point today,
        not ordered yet (but for the first, on order)."""
        touching = defaultdict(list)
        for move in self.moves:
            if move.store is main or move.to_store is main:
                touching[move.item.code].append(move)
        for item in self.items.values():
            moves = sorted(touching[item.code], key=lambda m: m.at)
            point, quantity = self._main_params(item, moves, main)
            if item.spec.get("reorder", True):
                self.params[(main.id, item.id)] = (point, quantity)
            else:
                point = ZERO  # bought when needed
            self._replenish(main, item, moves, point, quantity, item.code in low)

    def _main_params(self, item: _Item, moves: list[_Move], main: Store):
        """Reorder point (about three weeks of what leaves the store, and more than its biggest
        issue) and reorder quantity (a few months of it)."""
        first_week = self.at(7, 0)
        outs = [-m.delta(main) for m in moves if m.at >= first_week and m.delta(main) < 0]
        monthly = max(item.use, float(sum(outs, ZERO)) / 12)
        biggest = float(max(outs, default=ZERO))
        point = self.order_size(item, max(1.0, monthly * 0.7, biggest * 1.1))
        months = monthly * ORDER_MONTHS[item.prefix]
        return point, self.order_size(item, max(2.0, months, float(point) * 1.2))

    def _receive(self, main: Store, item: _Item, quantity, at, note=None) -> None:
        supplier = None if note else self.supplier(item)
        self.move(at, Kind.RECEIVE, item, main, quantity, supplier=supplier, note=note)

    def supplier(self, item: _Item) -> str:
        names = self.suppliers[item.prefix]
        return names[int(item.code[-3:]) % len(names)]

    def _replenish(self, main, item, moves, point, quantity, low: bool) -> None:
        first_week = self.at(7, 0)
        early = sum((-m.delta(main) for m in moves if m.at < first_week), ZERO)
        on = self.order_size(item, float(point + quantity + max(early, ZERO)))
        self._receive(main, item, on, self.at(0, 7.5), note=OPENING_NOTE)
        pending = None  # (ordered, arrives, quantity)
        for move in moves:
            if pending is not None and pending[1] <= move.at:
                self._receive(main, item, pending[2], pending[1])
                on, pending = on + pending[2], None
            delta = move.delta(main)
            if on + delta < 0:  # short: the order is fetched, or one placed and fetched
                if pending is not None:
                    self._receive(main, item, pending[2], move.at - timedelta(minutes=40))
                    on, pending = on + pending[2], None
                if on + delta < 0:
                    extra = max(quantity, self.order_size(item, float(-(on + delta))))
                    self._receive(main, item, extra, move.at - timedelta(minutes=30))
                    on += extra
            on += delta
            if on <= point and pending is None and point > 0:
                day = self.workday((move.at - self.at(0, 0)).days + self.rng.randint(2, 6), DAYS)
                arrives = max(
                    self.at(day, self.rng.uniform(9.5, 15)), move.at + timedelta(hours=20)
                )
                pending = (move.at, arrives, quantity)
        if not low:
            if pending is not None:  # on its way: arrived yesterday at the latest
                arrives = min(pending[1], self.now - timedelta(hours=20))
                self._receive(main, item, pending[2], max(arrives, pending[0] + timedelta(hours=2)))
            return
        if pending is not None and on <= point:
            self.low_at[item.code] = pending[0]
            return
        # More than usual went in the last days: at or below the point, not ordered yet.
        last = moves[-1].at + timedelta(hours=2) if moves else self.at(0, 8)
        at = max(last, self.at(DAYS - 2, 10.5))
        keep = max(point - self.amount(item, self.rng.uniform(0, float(point) / 3)), ZERO)
        department = self.departments.get(next(iter(item.spec.get("to", {"HK": 1}))))
        if on > keep and department is not None:
            self.issue(at, item, main, on - keep, department)
        self.low_at[item.code] = at

    # --- stores stocked from another ---------------------------------------------------------
    def keep_stocked(
        self, store, source, item, daily: float, restocks, extras, used_by, note
    ) -> None:
        """A store stocked from `source` on each restock day with what it will use until the
        next (and a tenth more); on each, first, what it used since the last is issued to
        `used_by`. `extras`: what else it gives out (top-ups, losses, requests), each at most
        what it has."""
        if daily <= 0 or used_by is None:
            return
        stocked = [self.at(day, self.rng.uniform(10, 11.5)) for day in restocks]
        events = [(self.at(day, 8.5), 0, ("use", k)) for k, day in enumerate(restocks) if k]
        events += [(at, 1, ("stock", k)) for k, at in enumerate(stocked)]
        events += [(m.at, 2, m) for m in extras]
        on = ZERO
        for at, _order, what in sorted(events, key=lambda e: (e[0], e[1])):
            if isinstance(what, _Move):
                what.quantity = min(what.quantity, on)
                if what.quantity > 0:
                    on -= self.add(what).quantity
                continue
            step, k = what
            day = restocks[k]
            if step == "use":
                since = restocks[k - 1]
                used = daily * (day - since) * self.season(since) * self.rng.uniform(0.9, 1.04)
                used = min(self.amount(item, used), on)
                if used > 0:
                    self.move(at, Kind.ISSUE, item, store, used, department=used_by, note=note)
                    on -= used
                continue
            until = restocks[k + 1] if k + 1 < len(restocks) else day + 61
            target = self.order_size(item, daily * (until - day) * self.season(day) * 1.12)
            if target > on:
                self.move(at, Kind.TRANSFER, item, source, target - on, to_store=store)
                on = target
            self.counted[(store.id, item.id)] = at + timedelta(hours=1)
        week = self.order_size(item, daily * 7)
        self.params[(store.id, item.id)] = (week, self.order_size(item, daily * 61))

    def place(self, store, source, item: _Item, quantity: Decimal, at, extras) -> None:
        """Kept items put in a store once (a pantry's hangers, its clean towels), then what it
        gives out of them."""
        self.move(at, Kind.TRANSFER, item, source, quantity, to_store=store)
        on = quantity
        for move in sorted(extras, key=lambda m: m.at):
            move.quantity = min(move.quantity, on)
            if move.quantity > 0:
                on -= self.add(move).quantity
        half = self.amount(item, float(quantity) / 2)
        self.params[(store.id, item.id)] = (half, half)

    # --- writing -----------------------------------------------------------------------------
    def price(self) -> None:
        """Unit costs: what each delivery cost (a third of the items went up by about 6% half a
        year ago; the latest delivery's price is today's), and every other movement at the price
        of its time (a reversal at its original's)."""
        cut = self.at(DAYS // 2, 0)
        receipts = defaultdict(list)
        for move in sorted(self.moves, key=lambda m: m.at):
            if move.kind is Kind.RECEIVE:
                receipts[move.item.code].append(move)
        for code, found in receipts.items():
            item = self.items[code]
            rise = found[-1].at >= cut and self.rng.random() < 0.35
            before = (item.cost * Decimal("0.94")).quantize(CENT) if rise else item.cost
            for move in found:
                move.unit_cost = before if move.at < cut else item.cost
            found[-1].unit_cost = item.cost
        times = {code: [m.at for m in found] for code, found in receipts.items()}
        for move in self.moves:
            if move.unit_cost is None and move.reverses is None:
                found = receipts[move.item.code]
                n = bisect_right(times[move.item.code], move.at)
                move.unit_cost = found[max(n - 1, 0)].unit_cost
        for move in self.moves:
            if move.reverses is not None:
                move.unit_cost = move.reverses.unit_cost

    def balances(self) -> dict[tuple[int, int], tuple[Decimal, datetime]]:
        """Each store's stock of each item after all the movements, in order (never below 0),
        and when it last changed."""
        on: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        last: dict[tuple[int, int], datetime] = {}
        for move in self.moves:
            for store in (move.store, move.to_store):
                if store is None:
                    continue
                key = (store.id, move.item.id)
                on[key] += move.delta(store)
                last[key] = move.at
                if on[key] < 0:
                    raise RuntimeError(f"demo stock of {move.item.code} below 0 at {store.code}")
        return {key: (value, last[key]) for key, value in on.items()}

    def write(self) -> None:
        """The movements in one statement, in their order (a reversal after them, pointing at
        the movement it reverses), then the stock levels they leave."""
        self.price()
        self.moves.sort(key=lambda m: m.at)
        balances = self.balances()
        rows = [self._row(m) for m in self.moves if m.reverses is None]
        db.session.execute(insert(Movement).execution_options(render_nulls=True), rows)
        for move in self.moves:
            if move.reverses is not None:
                original = move.reverses
                reverses_id = db.session.scalar(
                    select(Movement.id).where(
                        Movement.property_id == self.prop.id,
                        Movement.item_id == original.item.id,
                        Movement.store_id == original.store.id,
                        Movement.kind == original.kind,
                        Movement.at == original.at,
                    )
                )
                db.session.execute(
                    insert(Movement), [{**self._row(move), "reverses_id": reverses_id}]
                )
        levels = [
            {
                "property_id": self.prop.id,
                "store_id": store_id,
                "item_id": item_id,
                "on_hand": on_hand,
                "reorder_point": self.params.get((store_id, item_id), (None, None))[0],
                "reorder_quantity": self.params.get((store_id, item_id), (None, None))[1],
                "last_counted_at": self.counted.get((store_id, item_id)),
                "changed_at": changed,
            }
            for (store_id, item_id), (on_hand, changed) in balances.items()
        ]
        db.session.execute(insert(StockLevel).execution_options(render_nulls=True), levels)

    def _row(self, move: _Move) -> dict:
        return {
            "property_id": self.prop.id,
            "kind": move.kind.value,
            "item_id": move.item.id,
            "store_id": move.store.id,
            "to_store_id": move.to_store.id if move.to_store else None,
            "quantity": move.quantity,
            "change": move.change,
            "unit_cost": move.unit_cost,
            "value": (move.quantity * move.unit_cost).quantize(CENT, rounding=ROUND_HALF_UP),
            "department_id": move.department.id if move.department else None,
            "room_id": move.room_id,
            "person_id": move.person.id if move.person else None,
            "supplier": move.supplier,
            "reason": move.reason,
            "note": _own(move.note, move.by),
            "reverses_id": None,
            "request_id": move.request.id if move.request else None,
            "by_id": move.by.id,
            "at": move.at,
        }


def _own(text: str | None, person) -> str | None:
    """The demo's free text is kept as "English / 中文": what a person types is in their own
    language (the Chinese half for those who use the portal in Chinese)."""
    if not text or " / " not in text:
        return text
    english, chinese = text.split(" / ", 1)
    return chinese if (person.locale or "").startswith("zh") else english


# --- the seeder ----------------------------------------------------------------------------
def seed_inventory() -> bool:
    hotel = db.session.scalar(select(Property).where(Property.code == "HTL"))
    if hotel is None:
        return False
    spa = db.session.scalar(select(Property).where(Property.code == "SPA"))
    ids = [p.id for p in (hotel, spa) if p is not None]
    if db.session.scalar(select(Store.id).where(Store.property_id.in_(ids)).limit(1)):
        return False
    data = demo_items()
    ledger = _Ledger(hotel, data["hotel"], SUPPLIERS, SEED)
    if not {"STR", "HK"} <= set(ledger.departments) or not ledger.managers:
        return False
    _seed_hotel(ledger)
    if spa is not None:
        ledger = _Ledger(spa, data["spa"], SPA_SUPPLIERS, SEED + 1)
        if "SPA" in ledger.departments and ledger.managers:
            _seed_spa(ledger)
    return True


def _stores(ledger: _Ledger, specs) -> dict[str, Store]:
    stores = {
        code: Store(
            property_id=ledger.prop.id,
            code=code,
            name_en=en,
            name_zh=zh,
            kind=kind,
            floor=floor,
            department_id=ledger.departments[department].id,
        )
        for code, en, zh, kind, department, floor in specs
    }
    db.session.add_all(stores.values())
    db.session.flush()
    return stores


def _items(ledger: _Ledger) -> None:
    custodian_id = ledger.custodian.id if ledger.custodian else None
    rows = [
        {
            "property_id": ledger.prop.id,
            "code": item.code,
            "name_en": item.spec["en"],
            "name_zh": item.spec["zh"],
            "category": CATEGORIES[item.prefix].value,
            "unit": item.spec["unit"],
            "unit_cost": item.cost,
            "custodian_id": custodian_id if item.spec.get("custodian") else None,
            "active": True,
            "created_at": ledger.at(0, 7),
            "version": 1,
        }
        for item in ledger.items.values()
    ]
    db.session.execute(insert(Item).execution_options(render_nulls=True), rows)
    found = db.session.execute(select(Item.code, Item.id).where(Item.property_id == ledger.prop.id))
    for code, item_id in found:
        ledger.items[code].id = item_id


def _last_stocktake(ledger: _Ledger) -> datetime:
    """The main store and the linen room are counted on the last evening of each month."""
    return local_day_start(ledger.today.replace(day=1)) - timedelta(hours=6)


def _seed_hotel(ledger: _Ledger) -> None:
    from portal.blueprints.rosters.models import Room, RoomType

    hotel, items = ledger.prop, ledger.items
    storekeepers = ledger.employees("STR")
    ledger.custodian = storekeepers[0] if storekeepers else None
    rooms = list(
        db.session.scalars(
            select(Room)
            .where(Room.property_id == hotel.id, Room.active.is_(True))
            .order_by(Room.floor, Room.number)
        )
    )
    types = list(db.session.scalars(select(RoomType).where(RoomType.property_id == hotel.id)))
    floors = sorted({r.floor for r in rooms})
    stores = _stores(
        ledger,
        [
            ("MAIN", "Main store", "总仓", StoreKind.MAIN, "STR", None),
            ("LINEN", "Linen room", "布草房", StoreKind.LINEN, "HK", None),
            *[
                (f"P{f:02d}", f"Floor {f} pantry", f"{f}楼工作间", StoreKind.PANTRY, "HK", f)
                for f in floors
            ],
        ],
    )
    main, linen = stores["MAIN"], stores["LINEN"]
    pantries = {s.floor: s for s in stores.values() if s.kind == StoreKind.PANTRY}
    _items(ledger)
    kits = {t.id: PAR.get(t.code, _STANDARD) for t in types}
    par_rows = [
        {
            "property_id": hotel.id,
            "room_type_id": type_id,
            "item_id": items[code].id,
            "quantity": Decimal(quantity),
            "departure_refill": code not in KEPT,
        }
        for type_id, kit in kits.items()
        for code, quantity in kit.items()
    ]
    if par_rows:
        db.session.execute(insert(ParItem), par_rows)

    hk = ledger.departments["HK"]
    top_ups, extras = _top_ups(ledger, rooms, pantries, kits, hk)
    supervisors = people.supervisors_of(hk.id) or ledger.managers[:1]
    for n in range(10):  # towels and robes that left with a guest
        if not floors:
            break
        floor = ledger.rng.choice(floors)
        code = "LIN-013" if n % 4 == 3 and floor >= 9 else "LIN-001"
        at = ledger.at(ledger.workday(ledger.rng.randint(20, DAYS - 6)), ledger.rng.uniform(13, 17))
        by = ledger.rng.choice(supervisors)
        extras[(floor, code)].append(
            _Move(
                at,
                Kind.LOSS,
                items[code],
                pantries[floor],
                Decimal(1),
                by,
                reason=LossReason.GUEST_TOOK,
            )
        )
    # The floor pantries: stocked every two months, half the floors one month, half the next,
    # each on its own week of the month (so that every month has as many); the clean towels,
    # hangers and laundry bags put in once.
    for n, (floor, pantry) in enumerate(sorted(pantries.items())):
        week = 2 + 7 * (n // 2 % 4)
        restocks = [0] + [ledger.month_day(m, week) for m in range(2 - n % 2, 12, 2)]
        par_total: dict[str, int] = defaultdict(int)
        for room in rooms:
            if room.floor == floor:
                for code, quantity in kits.get(room.room_type_id, _STANDARD).items():
                    par_total[code] += quantity
        for code, total in par_total.items():
            item, moves = items[code], extras[(floor, code)]
            if item.flow == "pantry":
                daily = total * float(item.spec.get("rate", 0.3))
                note = USED_NOTE.format(floor=floor)
                ledger.keep_stocked(pantry, main, item, daily, restocks, moves, hk, note)
            else:
                source = linen if item.flow == "linen" else main
                quantity = Decimal(total + math.ceil(total / 10))
                ledger.place(pantry, source, item, quantity, ledger.at(0, 11 + floor / 10), moves)
    _linen_room(ledger, main, linen)
    crews = _past_requests(ledger, main)
    _odd_moves(ledger, main)
    ledger.issues(main)
    ledger.replenish(main, LOW)
    for key in ledger.params:
        if key[0] == main.id:
            ledger.counted[key] = _last_stocktake(ledger)
    ledger.write()
    if top_ups:
        db.session.execute(insert(TopUp), top_ups)
    _purchase(ledger, main, LOW[0])
    _current_requests(ledger, main, crews)
    _stocktake_under_way(ledger, pantries, hk)
    _budgets(ledger)
    _laundry(ledger, linen)


def _laundry(ledger: _Ledger, linen_room: Store) -> None:
    """The last fortnight of the linen cycle: a batch of soiled towels and sheets to the
    laundry most days, back clean the next day less a few rejected (and now and then one
    missing); today's batch still at the laundry."""
    from portal.blueprints.inventory import linen

    codes = [
        c for c in ("LIN-001", "LIN-002", "LIN-003", "LIN-004", "LIN-006") if c in ledger.items
    ]
    keepers = ledger.keepers(linen_room)
    if not codes or not keepers:
        return
    rng = ledger.rng
    for back_days in (12, 10, 9, 7, 5, 3, 2, 0):
        by = rng.choice(keepers)
        counts = {ledger.items[c].id: rng.randint(40, 90) for c in codes}
        batch = linen.send(linen_room, counts, by=by)
        sent_at = min(ledger.at(DAYS - back_days, rng.uniform(9, 11)), utcnow())
        batch.sent_at = sent_at
        if back_days == 0:
            continue
        returns = {}
        for line in batch.lines:
            rejected = 1 if rng.random() < 0.3 else 0
            missing = 1 if rng.random() < 0.15 else 0
            returns[line.id] = (line.sent - rejected - missing, rejected)
        moves = linen.back(batch, returns, by=rng.choice(keepers))
        back_at = sent_at + timedelta(hours=rng.uniform(20, 26))
        batch.back_at = back_at
        for move in moves:
            move.at = back_at
    db.session.flush()


def _budgets(ledger: _Ledger) -> None:
    """A year of monthly supply budgets for each department that draws on the stores: a bit
    above what it usually spends, so most months are within 90% and a busy one is not."""
    from portal.blueprints.inventory import budget

    this = budget.first_of(local_today())
    months = [budget.add_months(this, n) for n in range(-11, 1)]
    spent = budget.spend(ledger.prop.id, months)
    by_department: dict[int, list[Decimal]] = defaultdict(list)
    for (department_id, _month), value in spent.items():
        by_department[department_id].append(value)
    setter = ledger.managers[0]
    rows = []
    for department_id, values in by_department.items():
        usual = sorted(values)[len(values) // 2]
        if usual <= 0:
            continue
        amount = Decimal(math.ceil(float(usual) * 1.12 / 100) * 100)
        rows += [
            {
                "property_id": ledger.prop.id,
                "department_id": department_id,
                "month": month,
                "amount": amount,
                "set_by_id": setter.id,
                "set_at": ledger.at(0, 9),
            }
            for month in months
        ]
    if rows:
        db.session.execute(insert(Budget), rows)


def _stocktake_under_way(ledger: _Ledger, pantries: dict, hk) -> None:
    """This afternoon's count of a floor pantry, blind, two thirds counted: most items as
    expected, a few short (the manager sees the variances before posting)."""
    from portal.blueprints.inventory import stocktake

    if not pantries:
        return
    pantry = pantries[sorted(pantries)[len(pantries) // 2]]
    supervisor = (people.supervisors_of(hk.id) or ledger.managers[:1])[0]
    counter = (ledger.employees("HK") or [supervisor])[-1]
    sheet = stocktake.freeze(pantry, by=supervisor)
    lines = stocktake.lines_of(sheet)
    for n, line in enumerate(lines[: len(lines) * 2 // 3]):
        short = 2 if n % 7 == 3 and line.expected >= 2 else 0
        stocktake.count(line, line.expected - short, by=counter)


def _top_ups(ledger: _Ledger, rooms, pantries, kits, hk):
    """The top-ups of some of yesterday's and today's cleanings, from the pantry of the room's
    floor: after a departure the towels and what the guest used of the kit, after a stay-over
    a few things counted short. Returns the top-up rows and their movements, by pantry floor
    and item (not yet placed: the pantry gives out what it has)."""
    from portal.blueprints.rosters.models import Assignment, Cleaning, Occupancy

    extras: dict[tuple[int, str], list[_Move]] = defaultdict(list)
    if not pantries:
        return [], extras
    by_id = {r.id: r for r in rooms}
    found = db.session.execute(
        select(Cleaning, Assignment.occupancy)
        .join(
            Assignment,
            (Assignment.room_id == Cleaning.room_id) & (Assignment.day == Cleaning.day),
        )
        .where(
            Cleaning.property_id == ledger.prop.id,
            Cleaning.day >= ledger.today - timedelta(days=1),
            Cleaning.finished_at.is_not(None),
            Cleaning.reclean.is_(False),
        )
        .order_by(Cleaning.finished_at, Cleaning.id)
    ).all()
    ids = {c.attendant_id for c, _o in found}
    attendants = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids or [0])))}
    departures = [c for c, o in found if o == Occupancy.DEPARTURE][::4][:12]
    stayovers = [c for c, o in found if o == Occupancy.STAYOVER][::7][:5]
    rows = []
    for cleaning in departures + stayovers:
        room = by_id.get(cleaning.room_id)
        pantry = pantries.get(room.floor) if room else None
        at = (cleaning.finished_at + timedelta(minutes=ledger.rng.uniform(1, 4))).replace(
            microsecond=0
        )
        if pantry is None or at > ledger.now - timedelta(minutes=1):
            continue
        kit = kits.get(room.room_type_id, _STANDARD)
        if cleaning in departures:
            opened = sorted(c for c in kit if c[:3] != "LIN" and c not in KEPT)
            unopened = set(ledger.rng.sample(opened, 2))
            wanted = {c: q for c, q in kit.items() if c not in KEPT and c not in unopened}
        else:
            picks = [c for c in STAYOVER_SHORTS if c in kit]
            wanted = {c: min(kit[c], 2) for c in ledger.rng.sample(picks, min(3, len(picks)))}
        rows.append(
            {
                "property_id": ledger.prop.id,
                "room_id": room.id,
                "cleaning_id": cleaning.id,
                "store_id": pantry.id,
                "by_id": cleaning.attendant_id,
                "at": at,
            }
        )
        for code, quantity in sorted(wanted.items()):
            extras[(room.floor, code)].append(
                _Move(
                    at,
                    Kind.TOP_UP,
                    ledger.items[code],
                    pantry,
                    Decimal(quantity),
                    attendants[cleaning.attendant_id],
                    department=hk,
                    room_id=room.id,
                    note=room.number,
                )
            )
    return rows, extras


def _linen_room(ledger: _Ledger, main: Store, linen: Store) -> None:
    """Room linen: the linen room's stock (and the pantries' clean towels) from the main store
    when the store went live; worn and stained pieces written off most months, and replaced
    from the main store each quarter."""
    rng = ledger.rng
    to_pantries = defaultdict(Decimal)
    for move in ledger.moves:
        if move.store is linen and move.kind is Kind.TRANSFER:
            to_pantries[move.item.code] += move.quantity
    for item in ledger.items.values():
        if item.flow != "linen":
            continue
        holding = Decimal(item.spec.get("linen_room", 0))
        ledger.move(
            ledger.at(0, 9),
            Kind.TRANSFER,
            item,
            main,
            holding + to_pantries[item.code],
            to_store=linen,
        )
        on, written_off = holding, ZERO
        towel = item.code in ("LIN-001", "LIN-002", "LIN-003", "LIN-004")
        for month in range(12):
            if month in (3, 6, 9) and written_off > 0:
                replace = ledger.order_size(item, float(written_off))
                at = ledger.at(ledger.month_day(month, 3), 10)
                ledger.move(at, Kind.TRANSFER, item, main, replace, to_store=linen, note=LINEN_NOTE)
                on, written_off = on + replace, ZERO
            if rng.random() > (0.75 if towel else 0.4):
                continue
            lost = min(on, ledger.amount(item, max(1.0, item.use * rng.uniform(0.7, 1.5))))
            if lost > 0:
                reasons = (LossReason.STAINED, LossReason.STAINED, LossReason.DAMAGED)
                at = ledger.at(ledger.month_day(month, rng.randint(20, 27)), rng.uniform(14, 17))
                reason = rng.choice(reasons if towel else reasons[1:])
                ledger.move(at, Kind.LOSS, item, linen, lost, reason=reason)
                on, written_off = on - lost, written_off + lost
        point = ledger.order_size(item, float(holding) * 0.75)
        ledger.params[(linen.id, item.id)] = (point, ledger.order_size(item, float(holding) / 4))
        ledger.counted[(linen.id, item.id)] = _last_stocktake(ledger)


def _odd_moves(ledger: _Ledger, main: Store) -> None:
    """Out of the ordinary: losses found in the main store, a banquet's unused candles returned,
    and LED tubes booked to the wrong department, reversed and issued again."""
    items, departments = ledger.items, ledger.departments
    counted = (_last_stocktake(ledger) - ledger.at(0, 0)).days
    for day, code, quantity, reason, note in (
        (100, "AME-002", 300, LossReason.DAMAGED, LEAK_NOTE),
        (150, "SPR-004", 1, LossReason.DAMAGED, "Dropped while shelving / 上架时摔碎"),
        (250, "CHM-008", 2, LossReason.EXPIRED, None),
        (
            counted - 30,
            "SPR-005",
            12,
            LossReason.MISSING,
            "Short at the monthly count / 月度盘点短缺",
        ),
    ):
        at = ledger.at(ledger.workday(day), 17)
        ledger.move(at, Kind.LOSS, items[code], main, quantity, reason=reason, note=note)
    fb, eng = departments.get("FB"), departments.get("ENG")
    if fb is None or eng is None:
        return
    at = ledger.at(ledger.workday(201), 10.2)
    ledger.move(at, Kind.RETURN, items["FNB-014"], main, 6, department=fb, note=RETURN_NOTE)
    day, tubes = ledger.workday(DAYS - 40), items["SPR-004"]
    wrong = ledger.issue(ledger.at(day, 10.1), tubes, main, 10, fb, person=None)
    manager = ledger.by_username.get("manager") or ledger.managers[0]
    at = ledger.at(day, 10.7)
    ledger.move(
        at,
        Kind.REVERSAL,
        tubes,
        main,
        10,
        by=manager,
        department=fb,
        reverses=wrong,
        note=WRONG_NOTE,
    )
    ledger.issue(ledger.at(day, 10.75), tubes, main, 10, eng, person=None)


def _request(ledger: _Ledger, store, requester, for_where, note, lines, **fields) -> SupplyRequest:
    request = SupplyRequest(
        property_id=ledger.prop.id,
        requester_id=requester.id,
        department_id=requester.department_id,
        store_id=store.id,
        for_where=_own(for_where, requester),
        note=_own(note, requester),
        **fields,
    )
    request.lines = [
        RequestLine(
            item_id=ledger.items[code].id,
            quantity=Decimal(asked),
            approved=None if approved is None else Decimal(approved),
        )
        for code, asked, approved in lines
    ]
    db.session.add(request)
    return request


def _issued_request(ledger: _Ledger, store, requester, approver, days_ago, spec):
    """A past request, approved and issued: the request, and its issues (not yet placed)."""
    for_where, note, lines = spec
    day = ledger.workday(DAYS - days_ago)
    asked_at = ledger.at(day - 1, ledger.rng.uniform(14, 17))
    issued_at = ledger.at(day, ledger.rng.uniform(9, 11))
    storekeeper = ledger.rng.choice(ledger.keepers(store))
    request = _request(
        ledger,
        store,
        requester,
        for_where,
        note,
        lines,
        status=RequestStatus.ISSUED,
        created_at=asked_at,
        decided_by_id=approver.id,
        decided_at=asked_at + timedelta(hours=ledger.rng.uniform(0.5, 2)),
        issued_by_id=storekeeper.id,
        issued_at=issued_at,
    )
    moves = [
        _Move(
            issued_at,
            Kind.ISSUE,
            ledger.items[code],
            store,
            Decimal(approved),
            storekeeper,
            department=requester.department,
            person=requester,
            note=_own(for_where, requester),
            request=request,
        )
        for code, _asked, approved in lines
        if approved
    ]
    return request, moves


def _past_requests(ledger: _Ledger, main: Store) -> dict[str, list[User]]:
    """The past requests to the main store: issued ones (their issues among its movements),
    one refused, one cancelled. Returns who works in the departments that ask."""
    crews = {code: ledger.employees(code) for code in ("HK", "FB", "ENG")}
    issued = []
    for n, (days_ago, code, *spec) in enumerate(ISSUED_REQUESTS):
        approver = ledger.supervisor_of(code)
        if crews.get(code) and approver is not None:
            requester = crews[code][n % len(crews[code])]
            issued.append(_issued_request(ledger, main, requester, approver, days_ago, spec))
    for days_ago, code, for_where, note, lines, *decision in (REFUSED_REQUEST, CANCELLED_REQUEST):
        approver = ledger.supervisor_of(code)
        if not crews.get(code) or approver is None:
            continue
        asked_at = ledger.at(ledger.workday(DAYS - days_ago), ledger.rng.uniform(9, 16))
        decided = {"status": RequestStatus.CANCELLED}
        if decision:
            decided = {
                "status": RequestStatus.REJECTED,
                "decided_by_id": approver.id,
                "decided_at": asked_at + timedelta(hours=3),
                "decision_note": _own(decision[0], approver),
            }
        lines = [(c, q, None) for c, q in lines]
        _request(
            ledger, main, crews[code][-1], for_where, note, lines, created_at=asked_at, **decided
        )
    db.session.flush()
    for _request_row, moves in issued:
        for move in moves:
            ledger.add(move)
    return crews


def _purchase(ledger: _Ledger, store: Store, code: str) -> None:
    """The first low item is on order: its purchase request raised when it fell to its
    point."""
    item = ledger.items[code]
    raised_at = ledger.low_at.get(code)
    params = ledger.params.get((store.id, item.id))
    if raised_at is None or params is None:
        return
    raiser = ledger.custodian or ledger.rng.choice(ledger.keepers(store))
    db.session.add(
        PurchaseRequest(
            property_id=ledger.prop.id,
            store_id=store.id,
            item_id=item.id,
            quantity=params[1],
            status=PurchaseStatus.OPEN,
            raised_by_id=raiser.id,
            raised_at=raised_at + timedelta(hours=1),
        )
    )
    db.session.flush()


def _lines(ledger: _Ledger, lines) -> list[tuple[Item, Decimal]]:
    return [(db.session.get(Item, ledger.items[code].id), Decimal(q)) for code, q, *_a in lines]


def _current_requests(ledger: _Ledger, main: Store, crews: dict[str, list[User]]) -> None:
    """Today's requests, through the service (and into the audit trail): three waiting for
    approval, one approved for less than asked, waiting for the store."""
    for n, (code, for_where, note, lines) in enumerate(OPEN_REQUESTS):
        crew = crews.get(code)
        if crew:
            requester = crew[(n + 1) % len(crew)]
            supply.create(
                requester,
                main,
                _own(for_where, requester),
                _lines(ledger, lines),
                note=_own(note, requester) or "",
            )
    code, for_where, note, lines, decision = APPROVED_REQUEST
    crew, approver = crews.get(code), ledger.supervisor_of(code)
    if crew and approver is not None:
        request = supply.create(
            crew[0],
            main,
            _own(for_where, crew[0]),
            _lines(ledger, lines),
            note=_own(note, crew[0]) or "",
        )
        approved = {
            line.id: Decimal(spec[2]) for line, spec in zip(request.lines, lines, strict=True)
        }
        supply.approve(request, approved, by=approver, note=_own(decision, approver))


def _seed_spa(ledger: _Ledger) -> None:
    """The spa: its spa store stocked from its main store every two months (half the items one
    month, half the next) and the treatment supplies issued to the spa from there; the rest
    issued from the main store."""
    keeper = "STR" if "STR" in ledger.departments else "SPA"
    stores = _stores(
        ledger,
        [
            ("SPA", "Spa store", "水疗用品仓", StoreKind.SPA, "SPA", None),
            ("MAIN", "Main store", "总仓", StoreKind.MAIN, keeper, None),
        ],
    )
    spa_store, main = stores["SPA"], stores["MAIN"]
    _items(ledger)
    items, spa = ledger.items, ledger.departments["SPA"]
    extras = defaultdict(list)  # item code -> what the spa store gives out besides
    crew, approver = ledger.employees("SPA"), ledger.supervisor_of("SPA")
    days_ago, *spec = SPA_ISSUED_REQUEST
    if crew and approver is not None:
        _request_row, moves = _issued_request(ledger, spa_store, crew[0], approver, days_ago, spec)
        db.session.flush()
        for move in moves:
            extras[move.item.code].append(move)
    for days_ago, code, quantity, reason, note in SPA_LOSSES:
        at = ledger.at(ledger.workday(DAYS - days_ago), 17)
        extras[code].append(
            _Move(
                at, Kind.LOSS, items[code], spa_store, Decimal(quantity), reason=reason, note=note
            )
        )
    spa_items = [item for item in items.values() if item.flow == "spa"]
    for n, item in enumerate(spa_items):
        restocks = [0] + [
            ledger.month_day(m, 4 + 7 * (n // 2 % 4)) for m in range(2 - n % 2, 12, 2)
        ]
        daily = item.use / MONTH
        ledger.keep_stocked(
            spa_store, main, item, daily, restocks, extras[item.code], spa, SPA_USED_NOTE
        )
    ledger.issues(main)
    ledger.replenish(main)
    for key in ledger.params:
        if key[0] == main.id:
            ledger.counted[key] = _last_stocktake(ledger)
    ledger.write()
    for_where, note, lines = SPA_OPEN_REQUEST
    if len(crew) > 1:
        supply.create(
            crew[1],
            spa_store,
            _own(for_where, crew[1]),
            _lines(ledger, lines),
            note=_own(note, crew[1]) or "",
        )
