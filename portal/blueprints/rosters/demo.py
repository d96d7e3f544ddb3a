"""Demo rooms at the Harbour View Hotel: 200 rooms on floors 3 to 10 (standard rooms, deluxe
rooms on the upper floors, suites at the ends of floors 9 and 10), twelve room attendants (the
hotel's housekeepers and three who joined in the last fifteen months, E1101 to E1103), two
housekeeping supervisors (Susan Wu, and Joyce Liang, who signs in as `hk.supervisor`), the
guest-room cleaning SOP HK-001 as the cleaning checklist, and sixty days of housekeeping behind
today: each day's roster, every room's cleaning with its times, the supervisors' inspections
with their scores and notes (on a supervisor's day off, some stay-overs released without one, no
inspector being free), and the re-clean after each failed inspection (the newer attendants fail
more often; the bathroom fails most, or making the bed when the checklist has no bathroom step).

Today is half done: about 120 rooms over ten attendants, some inspected, some clean and waiting
for inspection, three being cleaned right now, the rest still to do, with two rush rooms (a
guest waiting), one room put off because of a Do Not Disturb sign and one room that failed its
inspection this morning, back on its attendant's list. Rooms nobody has today are vacant and
ready.

Sign in as E1002 (PIN 246810), the housekeeping attendant with the smallest staff number: their
list shows a room being cleaned and a rush room at the top.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import insert, select

from portal import audit
from portal.blueprints.people import services as people
from portal.blueprints.people.demo import DEMO_PASSWORD, DEMO_PIN
from portal.blueprints.people.models import Department, JobTitle, Property, Role, User
from portal.blueprints.rosters import services
from portal.blueprints.rosters.checklist import Checklist, checklist_for
from portal.blueprints.rosters.models import (
    Assignment,
    Cleaning,
    CleaningTick,
    Deferral,
    Inspection,
    Occupancy,
    Outcome,
    Release,
    Room,
    RoomStatus,
    RoomType,
    SkipReason,
)
from portal.blueprints.rosters.permissions import FRONT_OFFICE, HOUSEKEEPING
from portal.database import utcnow
from portal.extensions import db
from portal.i18n import local_day_start, local_today

SEED = 20261204
HISTORY_DAYS = 60
FLOORS = range(3, 11)
ROOMS_PER_FLOOR = 25
ATTENDANTS = 12
CREDITS_A_DAY = Decimal("15.5")  # an attendant's fair day's work: the duty roster plans by it
CLEANING_SOP = "HK-001"

# code, English, Chinese, credits (departure, stay-over, vacant), linen change every n nights,
# minutes an attendant of average speed takes (departure, stay-over, vacant).
ROOM_TYPES = (
    ("STD", "Standard room", "标准间", ("1.5", "1.0", "0.3"), 3, (27, 18, 8)),
    ("DLX", "Deluxe room", "豪华间", ("2.0", "1.3", "0.4"), 3, (33, 22, 10)),
    ("STE", "Suite", "套房", ("3.0", "2.0", "0.6"), 2, (48, 30, 14)),
)
OCCUPANCIES = (Occupancy.DEPARTURE, Occupancy.STAYOVER, Occupancy.VACANT)

# Room attendants the hotel took on (staff number, English, Chinese, language, hired days ago),
# as many as housekeeping needs to have twelve.
NEW_ATTENDANTS = (
    ("E1101", "Deng Xiaohong", "邓晓红", "zh_Hans", 430),
    ("E1102", "Luo Guiying", "罗桂英", "zh_Hans", 260),
    ("E1103", "Tang Hui", "唐慧", None, 95),
    ("E1104", "Peng Lili", "彭丽丽", "zh_Hans", 88),
    ("E1105", "Xie Yun", "谢芸", None, 75),
)
# The second housekeeping supervisor: staff number, user name, English, Chinese, language.
SECOND_SUPERVISOR = ("M0005", "hk.supervisor", "Joyce Liang", "梁佩仪", "zh_Hans")

# How often an attendant's first cleaning of a room fails its inspection, and how long they
# take against the average; the longest-serving get the better ones, give or take.
FAIL_RATES = (0.03, 0.04, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.10, 0.12, 0.14, 0.18)
SPEEDS = (0.86, 0.9, 0.92, 0.95, 0.97, 1.0, 1.0, 1.03, 1.06, 1.1, 1.14, 1.2)
MOST_FAILED_A_DAY = 3  # after that the supervisor works the rest of the list with them
STAY_NIGHTS = ((1, 2, 3, 4, 5, 7), (30, 28, 18, 11, 8, 5))

# Checklist steps found by their English wording: (key, words, how often it fails, what the
# inspector writes in English and in Chinese). The bathroom fails most, then the bed.
STEP_KINDS = (
    (
        "bathroom",
        ("toilet", "towel"),
        12.0,
        "Hair in the basin and water marks on the shower glass; only three towels.",
        "洗手盆有头发，淋浴玻璃有水渍，毛巾只放了三条。",
    ),
    (
        "bed",
        ("make the bed", "bed made"),
        6.0,
        "Bed cover creased at the foot and the pillows not plumped.",
        "床尾床罩有褶皱，枕头未拍松。",
    ),
    ("bins", ("bins",), 2.0, "Bathroom bin not emptied.", "卫生间垃圾桶未清倒。"),
    (
        "wardrobe",
        ("wardrobe",),
        2.0,
        "Two hangers missing and no laundry bag in the wardrobe.",
        "衣柜少两个衣架，洗衣袋未补。",
    ),
    (
        "equipment",
        ("equipment",),
        2.0,
        "TV remote not working and not reported.",
        "电视遥控器失灵，未报修。",
    ),
    ("cups", ("cups",), 1.5, "Used glasses left on the minibar.", "迷你吧上留有用过的杯子。"),
    ("curtains", ("curtains",), 1.0, "Sheer curtain left half closed.", "纱帘只拉开一半。"),
    ("lights", ("lights",), 1.0, "Desk lamp not working and not reported.", "台灯不亮，未报修。"),
    ("door", ("close the door",), 0.5, "Door left on the latch.", "房门未锁好。"),
    (
        "mat",
        ("mat at the bathroom", "small mat"),
        0.5,
        "Bathroom mat and caddy left behind in the room.",
        "卫生间地垫和工具篮遗留在房内。",
    ),
    ("air", ("air the room",), 0.5, "Window left open.", "窗户未关好。"),
    (
        "knock",
        ("knock",),
        0.2,
        "The guest says nobody knocked before coming in.",
        "客人反映服务员未敲门即进房。",
    ),
    (
        "supplies",
        ("supplies",),
        0.5,
        "Tea tray not restocked: no green tea, one cup short.",
        "茶盘未补齐：缺绿茶，少一个杯子。",
    ),
)
OTHER_STEP_WEIGHT = 0.3
# Steps that do not apply: a stay-over guest has left nothing behind, a vacant room has no
# bed to make, no bins and no used cups.
NOT_APPLICABLE = {
    Occupancy.STAYOVER: ("wardrobe",),
    Occupancy.VACANT: ("wardrobe", "bed", "bins", "cups"),
}


@dataclass
class _Steps:
    """One day's checklist as the demo uses it."""

    sop_version_id: int | None
    count: int
    weights: list[float]  # by position - 1
    kinds: dict[str, int]  # key -> position
    notes: dict[int, tuple[str, str]]  # position -> (English, Chinese)
    score_weights: dict[int, int] = field(default_factory=dict)  # a key point counts twice


@dataclass
class _Room:
    index: int
    number: str
    floor: int
    kind: RoomType
    minutes: dict[str, int]
    id: int = 0
    arrived: date | None = None
    departs: date | None = None
    last_cleaned: date | None = None
    last_change: datetime | None = None  # its newest cleaning or inspection
    today_at: datetime | None = None  # its newest cleaning or inspection today


@dataclass
class _Attendant:
    user: User
    speed: float
    fail_rate: float

    @property
    def id(self) -> int:
        return self.user.id


@dataclass
class _Job:
    """A room on an attendant's list for one day."""

    room: _Room
    occupancy: Occupancy
    nights: int
    linen: bool
    credits: Decimal
    day: date | None = None
    attendant: _Attendant | None = None
    position: int = 0
    assigned_by: User | None = None
    assigned_at: datetime | None = None
    deferral: str | None = None
    deferred_at: datetime | None = None
    rush_at: datetime | None = None
    status: RoomStatus = RoomStatus.DIRTY
    id: int = 0


@dataclass
class _Check:
    inspector: User
    at: datetime
    passed: bool
    score: Decimal
    items: dict[str, str]
    note: str
    id: int = 0


@dataclass
class _Visit:
    """One cleaning: a first cleaning or a re-clean, its inspection, its ticks (today only)."""

    job: _Job
    day: date
    steps: _Steps
    started: datetime
    finished: datetime | None
    reclean: bool = False
    check: _Check | None = None
    released_by: User | None = None  # released without an inspection: no inspector free
    ticks: list[datetime] = field(default_factory=list)
    id: int = 0


class _Demo:
    def __init__(self, hotel: Property, hk: Department, hr: User):
        self.hotel = hotel
        self.hk = hk
        self.hr = hr
        self.rng = random.Random(SEED)
        self.today = local_today()
        self.now = utcnow()
        self.first_day = self.today - timedelta(days=HISTORY_DAYS)
        self.jobs: list[_Job] = []
        self.visits: list[_Visit] = []
        self.trail: list[tuple] = []  # today's actions: (time, n, action, actor, object, summary)

    # --- people -----------------------------------------------------------------------------
    def _title(self, title_en: str) -> int | None:
        return db.session.scalar(
            select(JobTitle.id)
            .where(
                JobTitle.property_id == self.hotel.id,
                JobTitle.department_id == self.hk.id,
                JobTitle.title_en == title_en,
                JobTitle.retired_at.is_(None),
            )
            .limit(1)
        )

    def staff(self) -> None:
        """Twelve room attendants (the housekeepers the hotel has, and new ones) and a second
        housekeeping supervisor, added as HR adds people."""
        found = sorted(services.attendants(self.hotel.id), key=lambda u: u.staff_no)
        taken = set(
            db.session.scalars(
                people.people_at(self.hotel.id, active=None).with_only_columns(User.staff_no)
            )
        )
        title = self._title("Room attendant")
        for staff_no, en, zh, locale, hired in NEW_ATTENDANTS:
            if len(found) >= ATTENDANTS:
                break
            if staff_no in taken:
                continue
            found.append(
                people.create_person(
                    people.PersonData(
                        name_en=en,
                        name_zh=zh,
                        staff_no=staff_no,
                        property_id=self.hotel.id,
                        department_id=self.hk.id,
                        role=Role.EMPLOYEE,
                        phone=f"+86 138 0000 {staff_no[1:]}",
                        hire_date=self.today - timedelta(days=hired),
                        locale=locale,
                        job_title_id=title,
                    ),
                    pin=DEMO_PIN,
                    by=self.hr,
                )
            )
        self.attendant_users = sorted(found, key=lambda u: u.staff_no)[:ATTENDANTS]
        supervisors = people.supervisors_of(self.hk.id)
        staff_no, username, en, zh, locale = SECOND_SUPERVISOR
        if len(supervisors) < 2 and staff_no not in taken:
            supervisors.append(
                people.create_person(
                    people.PersonData(
                        name_en=en,
                        name_zh=zh,
                        staff_no=staff_no,
                        property_id=self.hotel.id,
                        department_id=self.hk.id,
                        role=Role.SUPERVISOR,
                        username=username,
                        email=f"{username}@staffroom.example",
                        phone="+86 139 0000 0005",
                        hire_date=self.today - timedelta(days=1100),
                        locale=locale,
                        supervises=(self.hk.id,),
                        job_title_id=self._title("Housekeeping supervisor"),
                    ),
                    password=DEMO_PASSWORD,
                    by=self.hr,
                )
            )
        self.supervisors = supervisors[:2]
        self.front_office = (
            db.session.scalar(
                people.people_at(self.hotel.id)
                .join(Department, Department.id == User.department_id)
                .where(Department.code == FRONT_OFFICE, User.role == Role.EMPLOYEE)
                .order_by(User.staff_no)
                .limit(1)
            )
            or self.supervisors[0]
        )
        # The longest-serving do better, give or take a neighbour.
        seniority = sorted(
            self.attendant_users, key=lambda u: (u.hire_date or self.today, u.staff_no)
        )
        for i in range(0, len(seniority) - 1, 3):
            if self.rng.random() < 0.6:
                seniority[i], seniority[i + 1] = seniority[i + 1], seniority[i]
        self.attendants = {
            u.id: _Attendant(u, SPEEDS[i], FAIL_RATES[i]) for i, u in enumerate(seniority)
        }
        self.ordered = [self.attendants[u.id] for u in self.attendant_users]  # by staff number

    # --- rooms --------------------------------------------------------------------------------
    def rooms(self) -> None:
        self.types: dict[str, RoomType] = {}
        minutes = {}
        for code, en, zh, credits, linen, times in ROOM_TYPES:
            departure, stayover, vacant = (Decimal(c) for c in credits)
            self.types[code] = RoomType(
                property_id=self.hotel.id,
                code=code,
                name_en=en,
                name_zh=zh,
                credits_departure=departure,
                credits_stayover=stayover,
                credits_vacant=vacant,
                linen_every_nights=linen,
            )
            minutes[code] = dict(zip(OCCUPANCIES, times, strict=True))
        db.session.add_all(self.types.values())
        db.session.flush()
        self.room_list = []
        for floor in FLOORS:
            for i in range(1, ROOMS_PER_FLOOR + 1):
                code = _type_of(floor, i)
                self.room_list.append(
                    _Room(
                        len(self.room_list),
                        f"{floor}{i:02d}",
                        floor,
                        self.types[code],
                        minutes[code],
                    )
                )
        day = self.first_day
        for room in self.room_list:  # the guests in the house on the first morning
            room.last_cleaned = day - timedelta(days=self.rng.randint(1, 4))
            if self.rng.random() < 0.58:
                nights = self._nights()
                room.arrived = day - timedelta(days=self.rng.randint(1, nights))
                room.departs = room.arrived + timedelta(days=nights)

    def _nights(self) -> int:
        return self.rng.choices(*STAY_NIGHTS)[0]

    def _needs(self, day: date, limit: int = 150) -> list[_Job]:
        """The rooms to clean on a day, by floor and number: departures and stay-overs, and
        vacant rooms not cleaned for four days (a light clean)."""
        jobs, vacant = [], []
        for room in self.room_list:
            occupied = room.arrived is not None and room.arrived < day <= room.departs
            if occupied and room.departs == day:
                nights = (room.departs - room.arrived).days
                jobs.append(self._job(room, Occupancy.DEPARTURE, nights))
            elif occupied:
                jobs.append(self._job(room, Occupancy.STAYOVER, (day - room.arrived).days))
            elif (day - room.last_cleaned).days >= 4:
                vacant.append(room)
        room_for = max(0, min(12, limit - len(jobs)))
        jobs += [self._job(room, Occupancy.VACANT, 0) for room in vacant[:room_for]]
        jobs.sort(key=lambda j: j.room.index)
        return jobs

    def _job(self, room: _Room, occupancy: Occupancy, nights: int) -> _Job:
        every = room.kind.linen_every_nights
        linen = occupancy == Occupancy.STAYOVER and nights > 0 and nights % every == 0
        return _Job(room, occupancy, nights, linen, room.kind.credits(occupancy))

    def _check_in(self, day: date) -> None:
        """Tonight's guests: the hotel fuller at the weekend."""
        base = 0.65 if day.weekday() in (4, 5) else 0.55
        share = base + self.rng.uniform(-0.04, 0.04)
        if day == self.today - timedelta(days=1):
            share = 0.55  # last night: about 120 rooms to do today
        wanted = round(len(self.room_list) * share)
        staying, free = [], []
        for room in self.room_list:
            tonight = room.arrived is not None and room.arrived <= day < room.departs
            (staying if tonight else free).append(room)
        for room in self.rng.sample(free, max(0, min(len(free), wanted - len(staying)))):
            room.arrived = day
            room.departs = day + timedelta(days=self._nights())

    # --- the roster ---------------------------------------------------------------------------
    def _roster(self, day: date, jobs: list[_Job], working: list[_Attendant], by: User) -> None:
        """Split the rooms as the roster page proposes: runs of rooms next to each other, the
        same number of credits for everyone."""
        stand_ins = [
            SimpleNamespace(room_type=j.room.kind, occupancy=j.occupancy, job=j) for j in jobs
        ]
        positions: dict[int, int] = {}
        for proposal in services.balance(stand_ins, working, {}):
            job, person = proposal.room.job, proposal.attendant
            positions[person.id] = positions.get(person.id, 0) + 1
            job.attendant, job.position = person, positions[person.id]
        assigned = local_day_start(day) + timedelta(hours=7, minutes=45)
        for job in jobs:
            job.day, job.assigned_by, job.assigned_at = day, by, assigned
        self.jobs += jobs

    def _lists(self, jobs: list[_Job]) -> dict[int, list[_Job]]:
        lists: dict[int, list[_Job]] = {}
        for job in jobs:
            lists.setdefault(job.attendant.id, []).append(job)
        return {k: sorted(v, key=lambda j: j.position) for k, v in lists.items()}

    def _inspector(self, day: date, room: _Room) -> User:
        """Floors 3 to 6 are the first supervisor's, 7 to 10 the second's; on a supervisor's
        day off the other inspects every floor."""
        on_duty = [s for k, s in enumerate(self.supervisors) if not self._off(day, k)]
        on_duty = on_duty or self.supervisors
        if len(on_duty) == 1:
            return on_duty[0]
        return on_duty[0] if room.floor <= 6 else on_duty[-1]

    def _off(self, day: date, k: int) -> bool:
        return day != self.today and (day.toordinal() + 4 * k) % 7 == 0

    # --- checklists and inspections -----------------------------------------------------------
    def steps_of(self, checklist: Checklist) -> _Steps:
        weights, kinds, notes = [], {}, {}
        for step in checklist.steps:
            text = step.text_en.lower()
            match = next((entry for entry in STEP_KINDS if any(w in text for w in entry[1])), None)
            if match is None or match[0] in kinds:
                weights.append(OTHER_STEP_WEIGHT)
                notes[step.position] = (
                    f"Step {step.position} not done to standard.",
                    f"第{step.position}步未达标准。",
                )
                continue
            key, _words, weight, en, zh = match
            kinds[key] = step.position
            weights.append(weight)
            notes[step.position] = (en, zh)
        return _Steps(
            checklist.sop_version_id, len(checklist), weights, kinds, notes, checklist.weights
        )

    def _check(self, visit: _Visit, inspector: User, at: datetime, fail: bool) -> _Check:
        steps, occupancy = visit.steps, visit.job.occupancy
        na = {steps.kinds[k] for k in NOT_APPLICABLE.get(occupancy, ()) if k in steps.kinds}
        failed: set[int] = set()
        if fail:
            candidates = [p for p in range(1, steps.count + 1) if p not in na]
            for _ in range(self.rng.choices((1, 2, 3), (70, 24, 6))[0]):
                left = [p for p in candidates if p not in failed]
                if left:
                    weights = [steps.weights[p - 1] for p in left]
                    failed.add(self.rng.choices(left, weights)[0])
        marks = {
            p: Outcome.FAIL if p in failed else Outcome.NA if p in na else Outcome.PASS
            for p in range(1, steps.count + 1)
        }
        chinese = (inspector.locale or "").startswith("zh")
        notes = [steps.notes[p][1 if chinese else 0] for p in sorted(failed)]
        return _Check(
            inspector=inspector,
            at=at,
            passed=not failed,
            score=services.score_of(marks, steps.score_weights),
            items={str(p): str(v) for p, v in marks.items() if v != Outcome.PASS},
            note=("" if chinese else " ").join(notes),
        )

    def _minutes(self, job: _Job, person: _Attendant) -> float:
        base = job.room.minutes[job.occupancy] * person.speed * self.rng.uniform(0.85, 1.2)
        return base + (6 if job.linen else 0)

    # --- sixty days -----------------------------------------------------------------------------
    def history(self) -> None:
        checklists = self.checklists = self._checklists()
        for offset in range(HISTORY_DAYS):
            day = self.first_day + timedelta(days=offset)
            steps = checklists[day]
            jobs = self._needs(day)
            credits = sum(j.credits for j in jobs)
            wanted = max(9, min(len(self.ordered), -int(-credits // CREDITS_A_DAY)))
            off = self.rng.sample(self.ordered, max(0, len(self.ordered) - wanted))
            working = [a for a in self.ordered if a not in off]
            by = next(
                (s for k, s in enumerate(self.supervisors) if not self._off(day, k)),
                self.supervisors[0],
            )
            self._roster(day, jobs, working, by)
            for person_id, todo in self._lists(jobs).items():
                self._work_day(day, self.attendants[person_id], todo, steps)
            for job in jobs:
                job.room.last_cleaned = day
            self._check_in(day)

    def _checklists(self) -> dict[date, _Steps]:
        """Each day's checklist (the SOP version in force then), asking for it on as few days
        as it takes: a stretch whose first and last days have the same version has it
        throughout, since a version is never back in force once superseded."""
        found: dict[date, Checklist] = {}

        def on(day: date) -> Checklist:
            if day not in found:
                found[day] = checklist_for(self.hotel.id, day)
            return found[day]

        def fill(first: date, last: date) -> None:
            if on(first).sop_version_id == on(last).sop_version_id or (last - first).days <= 1:
                for n in range((last - first).days + 1):
                    day = first + timedelta(days=n)
                    found.setdefault(day, on(first))
                return
            middle = first + timedelta(days=(last - first).days // 2)
            fill(first, middle)
            fill(middle, last)

        fill(self.first_day, self.today)
        steps = {id(c): self.steps_of(c) for c in found.values()}
        return {day: steps[id(c)] for day, c in found.items()}

    def _work_day(self, day: date, person: _Attendant, todo: list[_Job], steps: _Steps) -> None:
        """An attendant's day from half past eight: the list in order, lunch after noon, each
        failed room cleaned again once the supervisor has said what to put right."""
        start = local_day_start(day)
        clock = start + timedelta(hours=8, minutes=30 + self.rng.randint(0, 10))
        lunch = start + timedelta(hours=12)
        queue, again, failed = list(todo), [], 0
        while queue or again:
            ready = [v for v in again if v.check.at <= clock]
            if ready:
                first = ready[0]
                again.remove(first)
                visit = self._clean(first.job, day, steps, clock, person, reclean=True)
                visit.check = self._check(
                    visit,
                    first.check.inspector,
                    visit.finished + timedelta(minutes=self.rng.uniform(5, 20)),
                    fail=False,
                )
            elif queue:
                job = queue.pop(0)
                visit = self._clean(job, day, steps, clock, person)
                inspector = self._inspector(day, job.room)
                if not self._inspected(day, job):
                    visit.released_by = inspector
                    job.room.last_change = visit.finished + timedelta(
                        minutes=self.rng.uniform(10, 40)
                    )
                else:
                    rate = person.fail_rate * (0.5 if job.occupancy == Occupancy.VACANT else 1)
                    visit.check = self._check(
                        visit,
                        inspector,
                        visit.finished + timedelta(minutes=self.rng.uniform(8, 40)),
                        fail=self.rng.random() < rate and failed < MOST_FAILED_A_DAY,
                    )
                    if not visit.check.passed:
                        again.append(visit)
                        failed += 1
            else:
                clock = min(v.check.at for v in again) + timedelta(minutes=3)
                continue
            clock = visit.finished + timedelta(minutes=self.rng.uniform(2, 5))
            if clock >= lunch:
                clock, lunch = clock + timedelta(minutes=40), start + timedelta(days=1)
            if visit.check is not None:
                visit.job.room.last_change = visit.check.at

    def _inspected(self, day: date, job: _Job) -> bool:
        """Every room is inspected; on a supervisor's day off, the other inspects every room
        to sell and a third of the stay-overs, and releases the others: no inspector free."""
        alone = any(self._off(day, k) for k in range(len(self.supervisors)))
        return job.occupancy != Occupancy.STAYOVER or not alone or self.rng.random() < 0.35

    def _clean(self, job, day, steps, start, person, *, reclean=False) -> _Visit:
        minutes = self.rng.uniform(8, 14) * person.speed if reclean else self._minutes(job, person)
        visit = _Visit(job, day, steps, start, start + timedelta(minutes=minutes), reclean)
        self.visits.append(visit)
        return visit

    # --- today --------------------------------------------------------------------------------
    def today_scene(self) -> None:
        """Today, half done: every attendant's morning ends now (squeezed when it is early)."""
        day = self.today
        steps = self.checklists[day]
        jobs = self._needs(day, limit=120)
        first = self.ordered[0]  # the attendant with the smallest staff number works today
        off = self.rng.sample(self.ordered[1:], max(0, len(self.ordered) - 10))
        working = [a for a in self.ordered if a not in off]
        lead = self.supervisors[0]
        self._roster(day, jobs, working, lead)
        lists = self._lists(jobs)
        others = [a for a in working if a is not first]
        busy = [first, *self.rng.sample(others, 2)]
        idle = [a for a in others if a not in busy]
        dnd_by = next(
            (a for a in idle if any(j.occupancy == Occupancy.STAYOVER for j in lists[a.id][:4])),
            idle[0],
        )
        failing = max((a for a in others if a is not dnd_by), key=lambda a: a.fail_rate)
        second_rush = next(a for a in idle if a not in (dnd_by, failing))
        plans = {}
        for person in working:
            todo = lists[person.id]
            done = max(1, min(len(todo) - 3, round(len(todo) * self.rng.uniform(0.38, 0.58))))
            plans[person.id] = self._plan(
                person, todo, done, busy=person in busy, dnd=person is dnd_by
            )
        longest = timedelta(minutes=max(plan["end"] for plan in plans.values()))
        day_start = local_day_start(day)
        # From seven, the morning at its own pace; earlier, it started earlier and went a bit
        # faster; in the night, it is squeezed into the hours since midnight.
        shift = day_start + timedelta(hours=7)
        self.scale = min(
            1.0,
            max(0.6, (self.now - shift) / longest),
            (self.now - day_start) * 0.75 / longest,
        )
        began = self.now - longest * self.scale
        assigned = began - min(timedelta(minutes=20), (began - day_start) / 2)
        for job in jobs:
            job.assigned_at = assigned
            self._log(
                assigned,
                "rosters.assigned",
                lead,
                job,
                f"room={job.room.number} attendant={job.attendant.id} day={day}",
            )
        for person in working:
            self._live(day, person, plans[person.id], steps, failing=person is failing)
        self._rush(lists[first.id], minutes=self.rng.uniform(4, 10))
        self._rush(lists[second_rush.id], minutes=self.rng.uniform(15, 35))
        for job in jobs:
            job.room.last_change = max(
                t
                for t in (job.assigned_at, job.deferred_at, job.rush_at, job.room.today_at)
                if t is not None
            )

    def _plan(self, person, todo, done, *, busy: bool, dnd: bool) -> dict:
        """An attendant's morning in minutes from their start: the rooms finished, the stay-over
        early on the list that had a Do Not Disturb sign, the room under way."""
        worked, t = [], 0.0
        deferred = None
        if dnd:
            found = next((j for j in todo[:4] if j.occupancy == Occupancy.STAYOVER), todo[0])
            deferred = (found, 0.0)
        for job in todo:
            if len(worked) == done:
                break
            if deferred is not None and job is deferred[0]:
                deferred = (job, t)
                t += 2  # knocked, saw the sign, went on
                continue
            minutes = self._minutes(job, person)
            worked.append((job, t, t + minutes))
            t += minutes + self.rng.uniform(2, 5)
        current = None
        if busy:
            started = {id(w[0]) for w in worked} | ({id(deferred[0])} if deferred else set())
            job = next(j for j in todo if id(j) not in started)
            current, t = (job, t), t + self.rng.uniform(6, 18)
        else:
            t += self.rng.uniform(0, 4)
        return {"worked": worked, "current": current, "deferred": deferred, "end": t}

    def _at(self, plan: dict, minutes: float) -> datetime:
        """A moment of an attendant's morning: their plan ends now."""
        return self.now - timedelta(minutes=(plan["end"] - minutes) * self.scale)

    def _live(self, day: date, person, plan: dict, steps: _Steps, *, failing: bool) -> None:
        minute = timedelta(minutes=self.scale)
        if plan["deferred"] is not None:
            job, at = plan["deferred"]
            job.deferral, job.deferred_at = Deferral.DND, self._at(plan, at)
            self._log(
                job.deferred_at,
                "rosters.deferred",
                person.user,
                job,
                f"room={job.room.number} {Deferral.DND}",
            )
        worked = plan["worked"]
        fail_at = len(worked) // 2 if failing else -1
        for n, (job, begin, end) in enumerate(worked):
            visit = _Visit(job, day, steps, self._at(plan, begin), self._at(plan, end))
            visit.ticks = _spread(visit.started, visit.finished, steps.count)
            self.visits.append(visit)
            self._log_cleaning(visit, person.user)
            job.status, job.room.today_at = RoomStatus.CLEAN, visit.finished
            at = visit.finished + self.rng.uniform(8, 35) * minute
            if n == fail_at:  # failed this morning: the attendant has not been back yet
                at = min(at, self.now - (self.now - visit.finished) / 3)
            elif at > self.now - minute:
                continue  # clean, waiting for the supervisor
            inspector = self._inspector(day, job.room)
            visit.check = self._check(visit, inspector, at, fail=n == fail_at)
            job.status = RoomStatus.INSPECTED if visit.check.passed else RoomStatus.DIRTY
            job.room.today_at = at
            action = "rosters.passed" if visit.check.passed else "rosters.failed"
            self._log(
                at,
                action,
                inspector,
                visit.check,
                f"room={job.room.number} score={visit.check.score}",
            )
        if plan["current"] is not None:
            job, begin = plan["current"]
            visit = _Visit(job, day, steps, self._at(plan, begin), None)
            ticked = self.rng.randint(2, max(2, steps.count - 2))
            visit.ticks = _spread(visit.started, self.now - minute, ticked + 1)[:ticked]
            self.visits.append(visit)
            self._log(
                visit.started, "rosters.started", person.user, visit, f"room={job.room.number}"
            )
            job.status, job.room.today_at = RoomStatus.CLEANING, visit.started

    def _rush(self, todo: list[_Job], minutes: float) -> None:
        """Front office flags a departure not yet started: the arriving guest is waiting."""
        started = {id(v.job) for v in self.visits if v.day == self.today}
        waiting = [
            j
            for j in todo
            if j.status == RoomStatus.DIRTY and j.deferral is None and id(j) not in started
        ]
        job = next((j for j in waiting if j.occupancy == Occupancy.DEPARTURE), waiting[0])
        job.rush_at = max(job.assigned_at, self.now - timedelta(minutes=minutes * self.scale))
        self._log(
            job.rush_at, "rosters.rush", self.front_office, job.room, f"room={job.room.number}"
        )

    def _log_cleaning(self, visit: _Visit, actor: User) -> None:
        room = visit.job.room.number
        self._log(visit.started, "rosters.started", actor, visit, f"room={room}")
        if visit.finished is not None:
            self._log(visit.finished, "rosters.finished", actor, visit, f"room={room}")

    def _log(self, at, action, actor, obj, summary) -> None:
        self.trail.append((at, len(self.trail), action, actor, obj, summary))

    # --- writing ------------------------------------------------------------------------------
    def write(self) -> dict[str, int]:
        """Rooms and history in bulk (one statement per table, the new ids read back by each
        row's own key), then today's actions in the audit trail."""
        final = {j.room.index: j for j in self.jobs if j.day == self.today}
        rows = []
        for room in self.room_list:
            job = final.get(room.index)
            rows.append(
                {
                    "property_id": self.hotel.id,
                    "number": room.number,
                    "floor": room.floor,
                    "room_type_id": room.kind.id,
                    "status": job.status if job else RoomStatus.INSPECTED,
                    "occupancy": job.occupancy if job else Occupancy.VACANT,
                    "occupied_nights": job.nights if job else 0,
                    "rush": bool(job and job.rush_at),
                    "active": True,
                    "changed_at": room.last_change or local_day_start(self.first_day),
                    "version": 1,
                }
            )
        ids = _insert(Room, rows, Room.number)
        for room in self.room_list:
            room.id = ids[(room.number,)]
        rows = [
            {
                "property_id": self.hotel.id,
                "day": j.day,
                "room_id": j.room.id,
                "attendant_id": j.attendant.id,
                "position": j.position,
                "occupancy": j.occupancy,
                "credits": j.credits,
                "linen_change": j.linen,
                "deferral": j.deferral,
                "deferred_at": j.deferred_at,
                "assigned_by_id": j.assigned_by.id,
                "assigned_at": j.assigned_at,
            }
            for j in self.jobs
        ]
        ids = _insert(Assignment, rows, Assignment.day, Assignment.room_id)
        for job in self.jobs:
            job.id = ids[(job.day, job.room.id)]
        rows = [
            {
                "property_id": self.hotel.id,
                "room_id": v.job.room.id,
                "day": v.day,
                "attendant_id": v.job.attendant.id,
                "sop_version_id": v.steps.sop_version_id,
                "steps": v.steps.count,
                "reclean": v.reclean,
                "started_at": v.started,
                "finished_at": v.finished,
                "released": Release.SKIPPED if v.released_by else None,
                "release_reason": SkipReason.SHORT_STAFFED if v.released_by else None,
                "released_by_id": v.released_by.id if v.released_by else None,
            }
            for v in self.visits
        ]
        # A room has one cleaning a day, and one re-clean when that failed its inspection.
        ids = _insert(Cleaning, rows, Cleaning.room_id, Cleaning.day, Cleaning.reclean)
        for visit in self.visits:
            visit.id = ids[(visit.job.room.id, visit.day, visit.reclean)]
        checked = [v for v in self.visits if v.check is not None]
        rows = [
            {
                "property_id": self.hotel.id,
                "cleaning_id": v.id,
                "room_id": v.job.room.id,
                "inspector_id": v.check.inspector.id,
                "inspected_at": v.check.at,
                "passed": v.check.passed,
                "score": v.check.score,
                "items": v.check.items,
                "note": v.check.note,
            }
            for v in checked
        ]
        ids = _insert(Inspection, rows, Inspection.cleaning_id)
        for visit in checked:
            visit.check.id = ids[(visit.id,)]
        ticks = [
            {"cleaning_id": v.id, "position": p, "ticked_at": at}
            for v in self.visits
            for p, at in enumerate(v.ticks, start=1)
        ]
        _insert(CleaningTick, ticks)  # no property: nothing to read back
        for _at, _n, action, actor, obj, summary in sorted(self.trail, key=lambda e: e[:2]):
            audit.record(
                action,
                actor=actor,
                property_id=self.hotel.id,
                object_type=_TABLES[type(obj)],
                object_id=obj.id,
                summary=summary,
            )
        return {"cleanings": len(self.visits), "inspections": len(checked), "ticks": len(ticks)}


_TABLES = {
    _Job: "room_assignments",
    _Visit: "room_cleanings",
    _Check: "room_inspections",
    _Room: "rooms",
}


def _type_of(floor: int, i: int) -> str:
    """Suites at the ends of the two top floors, deluxe rooms above the sixth floor and at the
    ends of floors 6 and 7 (and the corner rooms below), standard rooms elsewhere."""
    if (floor == 10 and (i <= 3 or i >= 23)) or (floor == 9 and i in (1, 25)):
        return "STE"
    if floor >= 8 or (floor >= 6 and (i <= 6 or i >= 20)) or i in (1, 25):
        return "DLX"
    return "STD"


def _spread(start: datetime, end: datetime, n: int) -> list[datetime]:
    """n moments from just after `start` to `end`, evenly (the ticks of a checklist)."""
    return [start + (end - start) * (p / n) for p in range(1, n + 1)]


def _insert(model, rows: list[dict], *key) -> dict[tuple, int]:
    """Insert rows in bulk (one executemany) and read the new ids back in one query, by each
    row's own key (its `key` columns): the property had none of these rows before.

    Faster than RETURNING on both databases: with the ids in order SQLite sends one statement
    per row, and PostgreSQL's multi-row INSERTs took longer than psycopg's pipelined
    executemany."""
    if not rows:
        return {}
    # render_nulls: a None is written as NULL, not left out, so that every row has the same
    # columns and the rows go in one executemany rather than a statement per run of them.
    db.session.execute(insert(model).execution_options(render_nulls=True), rows)
    if not key:
        return {}
    found = db.session.execute(
        select(model.id, *key).where(model.property_id == rows[0]["property_id"])
    )
    return {tuple(values): row_id for row_id, *values in found}


def seed_rosters() -> bool:
    hotel = db.session.scalar(select(Property).where(Property.code == "HTL"))
    if hotel is None or db.session.scalar(
        select(Room.id).where(Room.property_id == hotel.id).limit(1)
    ):
        return False
    hk = db.session.scalar(
        select(Department).where(
            Department.property_id == hotel.id, Department.code == HOUSEKEEPING
        )
    )
    staff = {u.username: u for u in db.session.scalars(people.people_at(hotel.id)) if u.username}
    hr = staff.get("hr") or next(
        (u for u in staff.values() if u.role in (Role.HR, Role.ADMIN)), None
    )
    if hk is None or hr is None:
        return False
    demo = _Demo(hotel, hk, hr)
    demo.staff()
    if not demo.attendant_users or not demo.supervisors:
        return False
    demo.rooms()
    lead = demo.supervisors[0]
    sop_id = _cleaning_sop(hotel.id)
    if sop_id is not None:  # as the settings page records it
        services.choose_checklist(hotel.id, sop_id, by=lead)
    demo.history()
    demo.today_scene()
    _seed_areas(hotel.id, demo.attendant_users)
    counts = demo.write()
    audit.record(
        "demo.seeded",
        actor=lead,
        property_id=hotel.id,
        summary=(
            f"rosters: room_types={len(demo.types)} rooms={len(demo.room_list)} "
            f"attendants={len(demo.attendant_users)} days={HISTORY_DAYS} "
            f"cleanings={counts['cleanings']} inspections={counts['inspections']}"
        ),
    )
    return True


def _cleaning_sop(property_id: int) -> int | None:
    """The hotel's guest-room cleaning SOP, when the SOP library has it."""
    from portal.modules import is_registered

    if not is_registered("sops"):
        return None
    from portal.blueprints.sops.models import Sop

    return db.session.scalar(
        select(Sop.id).where(Sop.property_id == property_id, Sop.number == CLEANING_SOP)
    )


# The hotel's public areas: (code, English, Chinese, kind, floor, every minutes or None).
AREAS = [
    ("LOBBY", "Main lobby", "大堂", "lobby", 1, 120),
    ("WC-1M", "Lobby restroom, men", "大堂男洗手间", "restroom", 1, 120),
    ("WC-1W", "Lobby restroom, women", "大堂女洗手间", "restroom", 1, 120),
    ("REST", "Harbour restaurant", "海港餐厅", "restaurant", 2, None),
    ("MEET-2", "Meeting rooms, level 2", "二楼会议室", "meeting_room", 2, 480),
    ("BIZ", "Business centre", "商务中心", "business_centre", 2, 480),
    ("GYM", "Gym", "健身房", "gym", 11, 240),
    ("POOL", "Pool deck", "泳池区", "pool", 11, 240),
    *[(f"COR-{f}", f"Corridor, floor {f}", f"{f}楼走廊", "corridor", f, 480) for f in range(3, 11)],
]


def _seed_areas(property_id: int, people) -> None:
    """The public areas, each on an attendant's list today (the lobby on the first one's), and
    this morning's rounds: most on time, the restrooms' last one more than two hours ago (due
    now)."""
    from portal.blueprints.rosters.models import Area, AreaAssignment, AreaRound
    from portal.database import utcnow
    from portal.i18n import local_today

    now = utcnow()
    made = []
    for code, en, zh, kind, floor, every in AREAS:
        area = Area(
            property_id=property_id,
            code=code,
            name_en=en,
            name_zh=zh,
            kind=kind,
            floor=floor,
            every_minutes=every,
        )
        db.session.add(area)
        made.append(area)
    db.session.flush()
    rounds = []
    for i, area in enumerate(made):
        person = people[i % len(people)]
        late = area.kind == "restroom"
        minutes_ago = 150 if late else 25 + 7 * i
        rounds.append(
            {
                "area_id": area.id,
                "property_id": property_id,
                "done_at": now - timedelta(minutes=minutes_ago),
                "done_by_id": person.id,
                "note": "",
            }
        )
    db.session.execute(insert(AreaRound), rounds)
    today = local_today()
    db.session.execute(
        insert(AreaAssignment),
        [
            {
                "property_id": property_id,
                "day": today,
                "area_id": area.id,
                "attendant_id": people[i % len(people)].id,
                "assigned_at": now,
            }
            for i, area in enumerate(made)
        ],
    )
