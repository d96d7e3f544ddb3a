"""What the load benchmark drives: every page and every htmx GET fragment, as one person of a
role of the demo data sees it, and the GET endpoints it leaves out (each with its reason).

tests/bench/test_routes_covered.py fails when a GET endpoint of the app is in neither list, so
a new page or fragment joins the benchmark when it is added.

The paths name demo objects (a person, an SOP...): resolve() finds them in the database and
prepare() adds the one thing the demo data lacks (a draft to edit). Both need an app context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

PAGE = "page"
FRAGMENT = "fragment"

# Office staff sign in with their user name and password, employees with staff number and PIN.
EMPLOYEE_STAFF_NO = "E1001"  # front office, reads the portal in Chinese (both languages run)
ROLES = ("employee", "supervisor", "hr", "manager", "admin")


@dataclass(frozen=True)
class Ids:
    """The demo objects the paths name."""

    hotel_id: int
    housekeeping_id: int  # the supervisor's department
    person_id: int  # an employee of housekeeping
    employee_sop_id: int  # an SOP in force that the employee must read
    follow_sop_id: int  # an SOP in force read by housekeeping, with two versions
    review_version_id: int  # a version waiting for approval
    draft_version_id: int  # a draft being written
    binder_department_ids: tuple[int, ...]  # the hotel's departments with the most SOPs
    job_title_id: int | None = None  # a job title of housekeeping (where the app has them)
    training_programme_id: int | None = None  # a programme of the hotel (training module)
    training_session_id: int | None = None  # today's session with housekeeping on its roll
    training_future_session_id: int | None = None  # an upcoming session with free seats
    drill_plan_id: int | None = None  # the hotel's fire plan (drills module)
    drill_id: int | None = None  # a drill running now, its roll call open (prepare() starts one)
    drill_incident_id: int | None = None  # the demo's open security incident
    drill_closed_id: int | None = None  # the newest closed fire drill (its record amended)
    rosters_room_id: int | None = None  # a room on today's roster, being cleaned (rosters)
    rosters_cleaning_id: int | None = None  # a room cleaned today, waiting for inspection
    inventory_store_id: int | None = None  # the hotel's main store (inventory module)
    inventory_item_id: int | None = None  # the main store's item with the most movements
    inventory_request_id: int | None = None  # a housekeeping supply request waiting
    inventory_room_type_id: int | None = None  # a room type with a par kit
    inventory_stocktake_id: int | None = None  # a store being counted
    inventory_laundry_id: int | None = None  # linen at the laundry


@dataclass(frozen=True)
class Route:
    label: str
    endpoint: str
    role: str
    kind: str = PAGE
    values: Callable[[Ids], dict] = field(default=lambda ids: {})

    @property
    def htmx(self) -> bool:
        return self.kind == FRAGMENT

    @property
    def key(self) -> str:
        return f"{self.label} ({self.role})"

    def path(self, ids: Ids) -> str:
        """The URL path and query (needs a request context of the portal app)."""
        from flask import url_for

        return url_for(self.endpoint, **self.values(ids))


ROUTES: tuple[Route, ...] = (
    # The home page of every role: it gathers the cards of every module.
    Route("home page", "home.index", "employee"),
    Route("home page", "home.index", "supervisor"),
    Route("home page", "home.index", "hr"),
    Route("home page", "home.index", "manager"),
    Route("home page", "home.index", "admin"),
    # People.
    Route("people list", "people.index", "hr"),
    Route(
        "people list, department filter",
        "people.index",
        "hr",
        FRAGMENT,
        lambda ids: {"department": ids.housekeeping_id, "status": "active"},
    ),
    Route("person page", "people.detail", "hr", values=lambda ids: {"person_id": ids.person_id}),
    Route("new person form", "people.create", "hr"),
    Route("import the staff list form", "people.import_people", "hr"),
    Route("edit person form", "people.edit", "hr", values=lambda ids: {"person_id": ids.person_id}),
    Route(
        "person form, role changed",
        "people.create_fields",
        "hr",
        FRAGMENT,
        lambda ids: {"role": "supervisor", "department_id": ids.housekeeping_id, "part": "role"},
    ),
    Route(
        "person form, department changed",
        "people.edit_fields",
        "hr",
        FRAGMENT,
        lambda ids: {
            "person_id": ids.person_id,
            "role": "employee",
            "department_id": ids.housekeeping_id,
            "part": "job_title",
        },
    ),
    Route(
        "deactivate, asked first",
        "people.confirm_deactivate",
        "hr",
        FRAGMENT,
        lambda ids: {"person_id": ids.person_id},
    ),
    Route(
        "reset PIN form",
        "people.reset_secret",
        "hr",
        values=lambda ids: {"person_id": ids.person_id},
    ),
    Route("job titles", "people.job_titles", "hr"),
    Route("new job title form", "people.create_job_title", "hr"),
    Route(
        "edit job title form",
        "people.edit_job_title",
        "hr",
        values=lambda ids: {"title_id": ids.job_title_id},
    ),
    Route(
        "remove job title, asked first",
        "people.delete_job_title",
        "hr",
        values=lambda ids: {"title_id": ids.job_title_id},
    ),
    # SOP library.
    Route("SOP list", "sops.index", "supervisor"),
    Route("SOP list, my SOPs", "sops.index", "employee"),
    Route(
        "SOP list, department filter",
        "sops.index",
        "supervisor",
        FRAGMENT,
        lambda ids: {"scope": "all", "department": ids.housekeeping_id},
    ),
    Route(
        "SOP page", "sops.detail", "employee", values=lambda ids: {"sop_id": ids.employee_sop_id}
    ),
    Route(
        "SOP version in review",
        "sops.version",
        "manager",
        values=lambda ids: {"version_id": ids.review_version_id},
    ),
    Route(
        "acknowledgement page",
        "sops.coverage",
        "supervisor",
        values=lambda ids: {"sop_id": ids.follow_sop_id},
    ),
    Route(
        "acknowledgement table",
        "sops.coverage",
        "supervisor",
        FRAGMENT,
        lambda ids: {"sop_id": ids.follow_sop_id},
    ),
    Route(
        "remind everyone, asked first",
        "sops.remind_all",
        "supervisor",
        FRAGMENT,
        lambda ids: {"sop_id": ids.follow_sop_id},
    ),
    Route(
        "person's SOPs",
        "sops.person_status",
        "supervisor",
        values=lambda ids: {"user_id": ids.person_id},
    ),
    Route(
        "compare versions", "sops.compare", "hr", values=lambda ids: {"sop_id": ids.follow_sop_id}
    ),
    Route("new SOP form", "sops.create", "hr"),
    Route(
        "SOP draft editor",
        "sops.edit",
        "hr",
        values=lambda ids: {"version_id": ids.draft_version_id},
    ),
    Route(
        "SOP library settings",
        "sops.settings",
        "manager",
        values=lambda ids: {"property_id": ids.hotel_id},
    ),
    # Audit trail, terminals, the password asked again.
    Route("audit trail", "audit.index", "admin"),
    Route("audit trail, next page", "audit.index", "admin", FRAGMENT, lambda ids: {"page": 2}),
    Route("terminals", "terminals.index", "admin"),
    Route("confirm password", "auth.confirm_identity", "hr"),
    # Training.
    Route("training sessions", "training.index", "employee"),
    Route("training sessions", "training.index", "supervisor"),
    Route(
        "training sessions, attendance still open",
        "training.index",
        "supervisor",
        FRAGMENT,
        lambda ids: {"show": "open"},
    ),
    Route(
        "training session, roll call",
        "training.detail",
        "supervisor",
        values=lambda ids: {"session_id": ids.training_session_id},
    ),
    Route(
        "training session, enrol",
        "training.detail",
        "employee",
        values=lambda ids: {"session_id": ids.training_future_session_id},
    ),
    Route("training calendar, month", "training.calendar", "employee"),
    Route(
        "training calendar, this week",
        "training.calendar",
        "supervisor",
        FRAGMENT,
        lambda ids: {"view": "week"},
    ),
    Route("training programmes", "training.programmes", "hr"),
    Route("new training programme form", "training.create_programme", "hr"),
    Route(
        "edit training programme form",
        "training.edit_programme",
        "hr",
        values=lambda ids: {"programme_id": ids.training_programme_id},
    ),
    Route("schedule a session form", "training.create_session", "supervisor"),
    Route(
        "edit session form",
        "training.edit_session",
        "hr",
        values=lambda ids: {"session_id": ids.training_future_session_id},
    ),
    Route("training compliance matrix", "training.compliance_matrix", "hr"),
    Route("training budget", "training.budget_page", "hr"),
    Route("certificates expiring", "training.certificates_list", "supervisor"),
    Route(
        "certificates, all of them",
        "training.certificates_list",
        "hr",
        FRAGMENT,
        lambda ids: {"show": "all"},
    ),
    Route("record a certificate form", "training.record_certificate", "hr"),
    Route(
        "training compliance, one department",
        "training.compliance_matrix",
        "supervisor",
        FRAGMENT,
        lambda ids: {"department": ids.housekeeping_id},
    ),
    Route("drills", "drills.index", "manager"),
    Route("drills", "drills.index", "employee"),
    Route("drill compliance by shift", "drills.compliance_view", "manager"),
    Route("drill calendar", "drills.calendar", "manager"),
    Route(
        "drill calendar, one shift's week",
        "drills.calendar",
        "supervisor",
        FRAGMENT,
        lambda ids: {"view": "week", "shift": "morning"},
    ),
    Route("emergency plans", "drills.plan_list", "employee"),
    Route(
        "emergency plan",
        "drills.plan",
        "employee",
        values=lambda ids: {"plan_id": ids.drill_plan_id},
    ),
    Route("new emergency plan form", "drills.create_plan", "manager"),
    Route(
        "revise emergency plan form",
        "drills.revise_plan",
        "manager",
        values=lambda ids: {"plan_id": ids.drill_plan_id},
    ),
    Route("schedule a drill form", "drills.schedule", "manager"),
    Route("corrective actions", "drills.action_list", "manager"),
    Route("security incidents", "drills.incident_list", "manager"),
    Route(
        "security incidents, a page of them",
        "drills.incident_list",
        "manager",
        FRAGMENT,
        lambda ids: {"page": 1},
    ),
    Route("report a security incident form", "drills.report_incident", "employee"),
    Route(
        "security incident",
        "drills.incident",
        "manager",
        values=lambda ids: {"incident_id": ids.drill_incident_id},
    ),
    Route(
        "corrective actions, all",
        "drills.action_list",
        "manager",
        FRAGMENT,
        lambda ids: {"show": "all"},
    ),
    Route(
        "drill running, roll call",
        "drills.detail",
        "supervisor",
        values=lambda ids: {"drill_id": ids.drill_id},
    ),
    Route(
        "drill record, closed and amended",
        "drills.detail",
        "manager",
        values=lambda ids: {"drill_id": ids.drill_closed_id},
    ),
    Route(
        "amend a drill record form",
        "drills.amend",
        "manager",
        values=lambda ids: {"drill_id": ids.drill_closed_id},
    ),
    Route(
        "drill roll call, one department",
        "drills.detail",
        "supervisor",
        FRAGMENT,
        lambda ids: {"drill_id": ids.drill_id, "department": ids.housekeeping_id},
    ),
    # Cleaning rosters: the board (its poll and a floor), the day's roster, a room, inspection.
    Route("room board", "rosters.board", "supervisor"),
    Route("room board, its poll", "rosters.board", "supervisor", FRAGMENT),
    Route(
        "room board, one floor",
        "rosters.board",
        "manager",
        FRAGMENT,
        lambda ids: {"floor": 5},
    ),
    Route("today's cleaning roster", "rosters.roster", "supervisor"),
    Route(
        "room being cleaned",
        "rosters.room",
        "supervisor",
        values=lambda ids: {"room_id": ids.rosters_room_id},
    ),
    Route(
        "inspect a room form",
        "rosters.inspect",
        "supervisor",
        values=lambda ids: {"cleaning_id": ids.rosters_cleaning_id},
    ),
    Route("rooms", "rosters.room_list", "manager"),
    Route("new room form", "rosters.new_room", "manager"),
    Route(
        "edit room form",
        "rosters.edit_room",
        "manager",
        values=lambda ids: {"room_id": ids.rosters_room_id},
    ),
    Route("cleaning checklist settings", "rosters.settings", "manager"),
    Route("inspection policies", "rosters.policy_list", "supervisor"),
    Route("housekeeping history", "rosters.history_view", "manager"),
    Route("lost and found", "rosters.found_list", "supervisor"),
    Route("public areas", "rosters.area_list", "supervisor"),
    Route("add a public area form", "rosters.new_area", "manager"),
    Route("room defects", "rosters.defect_list", "supervisor"),
    Route(
        "housekeeping history, a week",
        "rosters.history_view",
        "manager",
        FRAGMENT,
        lambda ids: {"days": 7},
    ),
    # Inventory: a store's stock (search), an item's stock and history, requests, the reorder
    # list, a room's top-up.
    Route("stock of the main store", "inventory.stock_list", "manager"),
    Route(
        "stock, a search",
        "inventory.stock_list",
        "supervisor",
        FRAGMENT,
        lambda ids: {"store": ids.inventory_store_id, "q": "towel"},
    ),
    Route(
        "an item's stock and history",
        "inventory.item_detail",
        "manager",
        values=lambda ids: {"item_id": ids.inventory_item_id},
    ),
    Route(
        "an item's history, issues only",
        "inventory.item_detail",
        "manager",
        FRAGMENT,
        lambda ids: {"item_id": ids.inventory_item_id, "kind": "issue"},
    ),
    Route(
        "a movement's form",
        "inventory.move_form",
        "manager",
        FRAGMENT,
        lambda ids: {"item_id": ids.inventory_item_id, "kind": "issue"},
    ),
    Route("my supply requests", "inventory.my_requests", "employee"),
    Route("ask for supplies form", "inventory.new_request", "employee"),
    Route(
        "a supply request",
        "inventory.request_detail",
        "supervisor",
        values=lambda ids: {"request_id": ids.inventory_request_id},
    ),
    Route("supply requests waiting", "inventory.request_queue", "supervisor"),
    Route(
        "reorder list",
        "inventory.reorder_list",
        "manager",
        values=lambda ids: {"store_id": ids.inventory_store_id},
    ),
    Route(
        "a room's top-up",
        "inventory.top_up_form",
        "supervisor",
        values=lambda ids: {"room_id": ids.rosters_room_id},
    ),
    Route("room par kits", "inventory.par_kits", "manager"),
    Route("spend against budget", "inventory.spend_budget", "manager"),
    Route("the linen cycle", "inventory.linen_cycle", "supervisor"),
    Route(
        "a laundry batch",
        "inventory.laundry_batch",
        "supervisor",
        values=lambda ids: {"batch_id": ids.inventory_laundry_id},
    ),
    Route(
        "a store's stocktakes",
        "inventory.stocktakes",
        "manager",
        values=lambda ids: {"store_id": ids.inventory_store_id},
    ),
    Route(
        "a store's cycle-count plan",
        "inventory.cycle_count",
        "manager",
        values=lambda ids: {"store_id": ids.inventory_store_id},
    ),
    Route(
        "a count sheet being counted",
        "inventory.stocktake",
        "manager",
        values=lambda ids: {"stocktake_id": ids.inventory_stocktake_id},
    ),
    Route(
        "a count's progress",
        "inventory.stocktake_summary",
        "manager",
        FRAGMENT,
        lambda ids: {"stocktake_id": ids.inventory_stocktake_id},
    ),
    Route(
        "a room type's par kit",
        "inventory.par_kit",
        "manager",
        values=lambda ids: {"room_type_id": ids.inventory_room_type_id},
    ),
    Route("stores", "inventory.store_list", "manager"),
    Route("new item form", "inventory.new_item", "manager"),
    Route(
        "change item form",
        "inventory.edit_item",
        "manager",
        values=lambda ids: {"item_id": ids.inventory_item_id},
    ),
    Route("new store form", "inventory.new_store", "manager"),
    Route(
        "change store form",
        "inventory.edit_store",
        "manager",
        values=lambda ids: {"store_id": ids.inventory_store_id},
    ),
)

# GET endpoints that are neither a page nor an htmx fragment to measure under load.
EXCLUDED: dict[str, str] = {
    # Files of the app, not rendered (a proxy serves them in production).
    "static": "static files",
    # Sign-in is public and sends a signed-in person away; every run signs in through it.
    "auth.login": "the sign-in page",
    # JSON for the idle warning's script; no page asks it in a loop.
    "auth.session_status": "JSON, not a page",
    # Probes and the metrics scrape: for the load balancer and Prometheus, every few seconds,
    # not for people (tests/test_health.py asserts that /healthz runs no query).
    "health.healthz": "liveness probe",
    "health.readyz": "readiness probe",
    "metrics.metrics": "Prometheus scrape",
    # Documents: rendered by the PDF process, measured by `make bench` (bench/run.py); the
    # binder is also printed four at a time by the load benchmark's binder phase.
    "people.staff_record_pdf": "PDF",
    "sops.print_pdf": "PDF",
    "sops.binder_pdf": "PDF (the binder phase)",
    # A download, and each export writes an audit row.
    "audit.export_csv": "CSV download",
    "people.export_people": "CSV or Excel download",
    # The check of one uploaded staff list: looked at once or twice per import, its cost fixed
    # (tests/test_query_counts.py), not a page people load under load.
    "people.import_check": "an uploaded staff list's check",
    "training.compliance_csv": "CSV download (the matrix's own query)",
    "training.sign_in_sheet": "PDF",
    "training.transcript": "PDF",
    "training.compliance_pdf": "PDF",
    "drills.plan_pdf": "PDF",
    "drills.report_pdf": "PDF",
    # An attendant's own list: the benchmark's employee (E1001) works at front office and has
    # none. Its query count is fixed (tests/rosters/query_counts.py); it is one query more
    # than the room board's.
    "rosters.lists_pdf": "PDF",
    "rosters.labels_pdf": "PDF",
    "rosters.day_report_pdf": "PDF",
    "rosters.mine": "an attendant's own list (the benchmark's employee is not an attendant)",
    "inventory.purchase_pdf": "PDF",
    "inventory.item_history_csv": "CSV download",
    "inventory.count_sheet": "PDF",
}

# Pages that answer a fragment to HX-Request although no GET of the page asks for one (the
# fragment belongs to a POST).
FRAGMENT_EXCLUDED: dict[str, str] = {
    "inventory.new_request": "the form's fragment answers its POST (a line wrong, kept typed)",
    "inventory.request_detail": "the panel's fragment answers approve, refuse, issue, cancel",
    "inventory.top_up_form": "the fragment answers the top-up's POST",
}


def routes_of(app) -> tuple[Route, ...]:
    """The routes whose endpoint this app has (a route of a module that is not registered, or
    of a later version of the app, is left out; the coverage test keeps the list current)."""
    return tuple(route for route in ROUTES if route.endpoint in app.view_functions)


def covered_endpoints() -> set[str]:
    return {route.endpoint for route in ROUTES}


def fragment_endpoints() -> set[str]:
    return {route.endpoint for route in ROUTES if route.kind == FRAGMENT}


# --- the people who sign in -----------------------------------------------------------------------
def credentials(role: str) -> tuple[str, str]:
    """(identifier, secret) of the hotel's demo account of this role."""
    from portal.blueprints.people.demo import ACCOUNTS, DEMO_PASSWORD, DEMO_PIN

    if role == "employee":
        return EMPLOYEE_STAFF_NO, DEMO_PIN
    for username, account_role, prop, *_rest in ACCOUNTS:
        if str(getattr(account_role, "value", account_role)) == role and prop == "HTL":
            return username, DEMO_PASSWORD
    raise LookupError(f"no demo account of the role {role!r} at the hotel")


# --- the demo objects ---------------------------------------------------------------------------
def _hotel():
    from sqlalchemy import select

    from portal.blueprints.people.models import Department, Property
    from portal.extensions import db

    hotel = db.session.scalar(select(Property).where(Property.code == "HTL"))
    if hotel is None:
        raise LookupError("no demo data: run `flask seed-demo` first")
    housekeeping = db.session.scalar(
        select(Department).where(Department.property_id == hotel.id, Department.code == "HK")
    )
    return hotel, housekeeping


def prepare() -> None:
    """Add what the demo lacks to be measured: a draft being written (the editor) and a drill
    running now (its roll call). Committed; does nothing for what the hotel has already."""
    _prepare_drill()
    _prepare_draft()


def _prepare_drill() -> None:
    """A fire drill of the hotel running now (the demo's drills are closed or planned)."""
    from sqlalchemy import select

    from portal.database import write_intent
    from portal.extensions import db

    tables = db.metadata.tables
    if "drills" not in tables:
        return
    from portal.blueprints.drills import services
    from portal.blueprints.drills.models import Drill, DrillStatus, Plan
    from portal.blueprints.people.models import User
    from portal.i18n import local_today

    hotel, _housekeeping = _hotel()
    if db.session.scalar(
        select(Drill.id).where(Drill.property_id == hotel.id, Drill.status == DrillStatus.RUNNING)
    ):
        return
    name, _secret = credentials("manager")
    with write_intent():
        manager = db.session.scalar(select(User).where(User.username == name))
        plan = db.session.scalar(
            select(Plan).where(Plan.property_id == hotel.id).order_by(Plan.id).limit(1)
        )
        drill = services.schedule(plan, plan.shift_list[-1], local_today(), by=manager)
        services.start(drill, by=manager)
        db.session.commit()


def _prepare_draft() -> None:
    from sqlalchemy import select

    from portal.blueprints.people.models import User
    from portal.blueprints.sops import services
    from portal.blueprints.sops.models import Sop, SopVersion, VersionStatus
    from portal.database import write_intent
    from portal.extensions import db

    hotel, _housekeeping = _hotel()
    draft = db.session.scalar(
        select(SopVersion.id)
        .join(Sop, Sop.id == SopVersion.sop_id)
        .where(Sop.property_id == hotel.id, SopVersion.status == VersionStatus.DRAFT)
        .limit(1)
    )
    if draft is not None:
        return
    hr_name, _secret = credentials("hr")
    with write_intent():
        hr = db.session.scalar(select(User).where(User.username == hr_name))
        for sop in db.session.scalars(
            select(Sop).where(Sop.property_id == hotel.id).order_by(Sop.number.desc())
        ):
            if services.open_draft(sop) is None and sop.retired_on is None:
                services.new_version(sop, by=hr, major=False)
                db.session.commit()
                return
    raise LookupError("no SOP of the hotel can take a new draft")


def resolve(*, exclude_prefix: str | None = None) -> Ids:
    """The ids of the demo objects the routes name. `exclude_prefix`: SOP numbers of the large
    data set, left out of the choice of binders (they print the same departments as on the
    demo data)."""
    from sqlalchemy import func, select

    from portal.blueprints.people.models import User
    from portal.blueprints.sops import rules
    from portal.blueprints.sops.models import Sop, SopVersion, VersionStatus
    from portal.extensions import db

    hotel, housekeeping = _hotel()
    employee = db.session.scalar(
        select(User).where(User.property_id == hotel.id, User.staff_no == EMPLOYEE_STAFF_NO)
    )
    person_id = db.session.scalar(
        select(User.id)
        .where(
            User.department_id == housekeeping.id,
            User.role == "employee",
            User.active.is_(True),
        )
        .order_by(User.id)
        .limit(1)
    )
    current = rules.current_versions_subquery()
    in_force = (
        select(Sop.id)
        .join(current, current.c.sop_id == Sop.id)
        .where(Sop.property_id == hotel.id)
        .order_by(Sop.number)
    )
    employee_sop_id = db.session.scalar(
        in_force.where(Sop.department_id == employee.department_id).limit(1)
    )
    versions = (
        select(SopVersion.sop_id, func.count().label("n"))
        .where(SopVersion.status == VersionStatus.APPROVED)
        .group_by(SopVersion.sop_id)
        .subquery()
    )
    follow_sop_id = db.session.scalar(
        in_force.join(versions, versions.c.sop_id == Sop.id)
        .where(Sop.department_id == housekeeping.id)
        .order_by(None)
        .order_by(versions.c.n.desc(), Sop.number)
        .limit(1)
    )
    by_stage = (
        select(SopVersion.id)
        .join(Sop, Sop.id == SopVersion.sop_id)
        .where(Sop.property_id == hotel.id)
        .order_by(SopVersion.id)
        .limit(1)
    )
    review_version_id = db.session.scalar(
        by_stage.where(SopVersion.status == VersionStatus.IN_REVIEW)
    )
    draft_version_id = db.session.scalar(by_stage.where(SopVersion.status == VersionStatus.DRAFT))
    binders = (
        select(Sop.department_id)
        .join(current, current.c.sop_id == Sop.id)
        .where(Sop.property_id == hotel.id)
        .group_by(Sop.department_id)
        .order_by(func.count().desc(), Sop.department_id)
        .limit(4)
    )
    if exclude_prefix:
        binders = binders.where(~Sop.number.startswith(exclude_prefix))
    job_title_id = None
    titles = db.metadata.tables.get("job_titles")
    if titles is not None:
        job_title_id = db.session.scalar(
            select(titles.c.id)
            .where(titles.c.department_id == housekeeping.id)
            .order_by(titles.c.id)
            .limit(1)
        )
    training = _training_ids(hotel.id, housekeeping.id)
    drills = _drill_ids(hotel.id)
    rosters = _roster_ids(hotel.id)
    inventory = _inventory_ids(hotel.id, housekeeping.id)
    ids = Ids(
        **training,
        **drills,
        **rosters,
        **inventory,
        hotel_id=hotel.id,
        housekeeping_id=housekeeping.id,
        person_id=person_id,
        employee_sop_id=employee_sop_id,
        follow_sop_id=follow_sop_id,
        review_version_id=review_version_id,
        draft_version_id=draft_version_id,
        binder_department_ids=tuple(db.session.scalars(binders)),
        job_title_id=job_title_id,
    )
    optional = {"job_title_id"} if titles is None else set()
    if not training:
        optional |= {"training_programme_id", "training_session_id", "training_future_session_id"}
    if not drills:
        optional |= {"drill_plan_id", "drill_id", "drill_incident_id", "drill_closed_id"}
    if not rosters:
        optional |= {"rosters_room_id", "rosters_cleaning_id"}
    if not inventory:
        optional |= {
            "inventory_store_id",
            "inventory_item_id",
            "inventory_request_id",
            "inventory_room_type_id",
            "inventory_stocktake_id",
            "inventory_laundry_id",
        }
    missing = [name for name, value in vars(ids).items() if not value and name not in optional]
    if missing:
        raise LookupError(f"the demo data lacks what the benchmark needs: {', '.join(missing)}")
    return ids


def _inventory_ids(hotel_id: int, housekeeping_id: int) -> dict:
    """The inventory module's demo objects (none when the module is not installed)."""
    from sqlalchemy import func, select

    from portal.extensions import db

    tables = db.metadata.tables
    if "stores" not in tables:
        return {}
    stores, movements = tables["stores"], tables["stock_movements"]
    requests, par = tables["supply_requests"], tables["room_par_items"]
    stocktakes, laundry = tables["stocktakes"], tables["laundry_batches"]
    store_id = db.session.scalar(
        select(func.min(stores.c.id)).where(
            stores.c.property_id == hotel_id, stores.c.kind == "main"
        )
    )
    return {
        "inventory_store_id": store_id,
        "inventory_item_id": db.session.scalar(
            select(movements.c.item_id)
            .where(movements.c.store_id == store_id)
            .group_by(movements.c.item_id)
            .order_by(func.count().desc(), movements.c.item_id)
            .limit(1)
        ),
        "inventory_request_id": db.session.scalar(
            select(func.min(requests.c.id)).where(
                requests.c.property_id == hotel_id,
                requests.c.department_id == housekeeping_id,
                requests.c.status == "open",
            )
        ),
        "inventory_room_type_id": db.session.scalar(
            select(func.min(par.c.room_type_id)).where(par.c.property_id == hotel_id)
        ),
        "inventory_laundry_id": db.session.scalar(
            select(func.min(laundry.c.id)).where(
                laundry.c.property_id == hotel_id, laundry.c.status == "out"
            )
        ),
        "inventory_stocktake_id": db.session.scalar(
            select(func.min(stocktakes.c.id)).where(
                stocktakes.c.property_id == hotel_id, stocktakes.c.status == "counting"
            )
        ),
    }


def _roster_ids(hotel_id: int) -> dict:
    """The rosters module's demo objects (none when the module is not installed)."""
    from sqlalchemy import func, select

    from portal.extensions import db

    tables = db.metadata.tables
    if "rooms" not in tables:
        return {}
    rooms, cleanings = tables["rooms"], tables["room_cleanings"]
    return {
        "rosters_room_id": db.session.scalar(
            select(func.min(rooms.c.id)).where(
                rooms.c.property_id == hotel_id, rooms.c.status == "cleaning"
            )
        ),
        "rosters_cleaning_id": db.session.scalar(
            select(func.max(cleanings.c.id))
            .join(rooms, rooms.c.id == cleanings.c.room_id)
            .where(
                rooms.c.property_id == hotel_id,
                rooms.c.status == "clean",
                cleanings.c.finished_at.is_not(None),
            )
        ),
    }


def _drill_ids(hotel_id: int) -> dict:
    """The drills module's demo objects (none when the module is not installed)."""
    from sqlalchemy import func, select

    from portal.extensions import db

    tables = db.metadata.tables
    if "drills" not in tables:
        return {}
    plans, drills = tables["drill_plans"], tables["drills"]
    incidents = tables["security_incidents"]
    return {
        "drill_plan_id": db.session.scalar(
            select(func.min(plans.c.id)).where(plans.c.property_id == hotel_id)
        ),
        "drill_id": db.session.scalar(
            select(func.max(drills.c.id)).where(
                drills.c.property_id == hotel_id, drills.c.status == "running"
            )
        ),
        "drill_incident_id": db.session.scalar(
            select(func.max(incidents.c.id)).where(incidents.c.property_id == hotel_id)
        ),
        "drill_closed_id": db.session.scalar(
            select(drills.c.id)
            .where(drills.c.property_id == hotel_id, drills.c.status == "closed")
            .order_by(drills.c.alarm_at.desc())
            .limit(1)
        ),
    }


def _training_ids(hotel_id: int, housekeeping_id: int) -> dict:
    """The training module's demo objects (none when the module is not installed)."""
    from sqlalchemy import func, select

    from portal.database import utcnow
    from portal.extensions import db

    tables = db.metadata.tables
    if "training_sessions" not in tables:
        return {}
    sessions, programmes = tables["training_sessions"], tables["training_programmes"]
    now = utcnow()
    at_hotel = select(sessions.c.id).where(sessions.c.property_id == hotel_id)
    return {
        "training_programme_id": db.session.scalar(
            select(func.min(programmes.c.id)).where(programmes.c.property_id == hotel_id)
        ),
        # The session running now (the demo's roll call); else the latest that started.
        "training_session_id": db.session.scalar(
            at_hotel.where(sessions.c.starts_at <= now)
            .order_by(sessions.c.starts_at.desc())
            .limit(1)
        ),
        "training_future_session_id": db.session.scalar(
            at_hotel.where(sessions.c.starts_at > now, sessions.c.seats_taken < sessions.c.capacity)
            .order_by(sessions.c.starts_at)
            .limit(1)
        ),
    }
