"""The access matrix, shared by every domain's `tests/<domain>/test_access.py`.

Each domain declares one Row per endpoint (and method) with `domain(name, rows)`, which adds
them to REGISTRY, and gets its tests from `tests_for(rows)`:

- by role: every role signs in at the home property (a supervisor supervises the target
  department) and sends the row's request. An allowed role gets the real success answer (the
  row's `ok` check: 200 with the words that prove it, or 303 to the right place, and the change
  made); a refused role gets exactly the row's refusal code and an `access.refused` audit row
  naming the refused person and, for an object, the object.
- anonymous: sent to sign-in (public endpoints: their own answer).
- another property: the row's objects belong to another property; a role that is bound to its
  property gets 404 and the refusal is audited with the object; a group admin, who sees every
  property, gets the success answer.
- another department: for endpoints that act on a person's or a department's record, a
  supervisor of another department of the same property; refused and audited (or allowed, where
  the row says the record is open to the whole property).

tests/test_access_matrix.py imports every domain's file and fails when an endpoint of the app
has no row, so a new route cannot forget its check.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import url_for
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.extensions import db
from tests import factories
from tests.conftest import text_of

ROLES = ("employee", "supervisor", "hr", "manager", "admin")
ALL = frozenset(ROLES)
WRITERS = frozenset({"hr", "manager", "admin"})
PUBLIC = "public"
HOME = "TST"  # the property every signed-in test person works at
ELSEWHERE = "SPX"  # another property of the group
TARGET_DEPARTMENT = "HK"  # the department of the target person and records
OTHER_DEPARTMENT = "FO"
# Roles bound to their own property, most privileged first (a group admin sees every property).
BOUND_ROLES = ("hr", "manager", "supervisor", "employee")
ADMIN_ELSEWHERE = "admin elsewhere"

REGISTRY: dict[str, tuple[Row, ...]] = {}


# --- the objects the routes take ------------------------------------------------------------
class World:
    """The records of one property that the rows act on, each made on first use."""

    def __init__(self, code: str = HOME):
        self.code = code

    @cached_property
    def prop(self):
        return factories.property_(self.code)

    def department(self, code: str = TARGET_DEPARTMENT):
        return factories.department(self.prop, code)

    @cached_property
    def person(self):
        """An employee of the target department."""
        return factories.person(
            "employee",
            prop=self.prop,
            dept=TARGET_DEPARTMENT,
            name_en="Mei Target",
            name_zh="目标美",
        )

    @cached_property
    def inactive_person(self):
        return factories.person(
            "employee",
            prop=self.prop,
            dept=TARGET_DEPARTMENT,
            name_en="Kai Inactive",
            name_zh="停用凯",
            active=False,
        )

    @cached_property
    def terminal(self):
        terminal, _key = factories.terminal(prop=self.prop, name="Target kiosk")
        return terminal

    @cached_property
    def in_force(self):
        """Version 1.0 of HK-900, in force, read by the target department."""
        return factories.sop(number="HK-900", prop=self.prop, dept=TARGET_DEPARTMENT)

    @cached_property
    def draft(self):
        return factories.sop(
            number="HK-901", prop=self.prop, dept=TARGET_DEPARTMENT, effective=False
        )

    @cached_property
    def in_review(self):
        """Sent for review by its author (so anyone else may approve it)."""
        from portal.blueprints.sops import services

        version = factories.sop(
            number="HK-902", prop=self.prop, dept=TARGET_DEPARTMENT, effective=False
        )
        services.submit_for_review(version, by=version.author)
        return version

    @cached_property
    def shared_sop(self):
        """An SOP in force that the target department and the other department both read."""
        from portal.blueprints.sops import services

        version = factories.sop(number="HK-903", prop=self.prop, dept=TARGET_DEPARTMENT)
        services.set_audience(
            version.sop, [self.department().id, self.department(OTHER_DEPARTMENT).id], []
        )
        db.session.flush()
        return version

    @cached_property
    def two_versions(self):
        """HK-904: version 1.0 in force and 1.1 being written (something to compare)."""
        from portal.blueprints.sops import services

        version = factories.sop(number="HK-904", prop=self.prop, dept=TARGET_DEPARTMENT)
        services.new_version(version.sop, by=version.author, major=False)
        return version


@dataclass
class Ctx:
    """One request of the walk: its worlds, who sent it, and (after sending) the answer."""

    world: World  # the world the row's objects come from
    home: World  # the actor's own property
    actor: Any  # the signed-in person, or None
    client: Any
    db: Any
    response: Any = None

    @property
    def status(self) -> int:
        return self.response.status_code

    @cached_property
    def text(self) -> str:
        return text_of(self.response)

    @property
    def location(self) -> str:
        return self.response.headers.get("Location", "")

    def follow(self):
        """The page the redirect leads to (flash messages show there)."""
        return self.client.get(self.location)

    def snippet(self) -> str:
        return f"{self.status} {self.location} {self.response.get_data(as_text=True)[:400]}"

    def resolve(self, value):
        return value(self) if callable(value) else value


Check = Callable[[Ctx], None]
Args = Callable[[Ctx], dict]


# --- what an allowed request gets -------------------------------------------------------------
def page(*texts, status: int = 200, then: Check | None = None) -> Check:
    """A page (status 200) that shows these words."""

    def check(ctx: Ctx) -> None:
        assert ctx.status == status, ctx.snippet()
        assert ctx.response.mimetype == "text/html", ctx.snippet()
        for text in texts:
            assert ctx.resolve(text) in ctx.text, (ctx.resolve(text), ctx.text[:600])
        if then is not None:
            then(ctx)

    return check


def redirect(to, *texts, then: Check | None = None) -> Check:
    """303 to `to` (a path, or a compiled pattern of one); the page there shows these words."""

    def check(ctx: Ctx) -> None:
        assert ctx.status == 303, ctx.snippet()
        target = ctx.resolve(to)
        if isinstance(target, re.Pattern):
            assert target.fullmatch(ctx.location), (ctx.location, target.pattern)
        else:
            assert ctx.location == target, (ctx.location, target)
        if texts:
            landing = ctx.follow()
            assert landing.status_code == 200, landing.status_code
            shown = text_of(landing)
            for text in texts:
                assert ctx.resolve(text) in shown, (ctx.resolve(text), shown[:600])
        if then is not None:
            then(ctx)

    return check


def pdf(*texts) -> Check:
    """A PDF whose text holds these words."""

    def check(ctx: Ctx) -> None:
        from pypdf import PdfReader

        assert ctx.status == 200, ctx.snippet()
        assert ctx.response.mimetype == "application/pdf", ctx.snippet()
        reader = PdfReader(io.BytesIO(ctx.response.data))
        words = "\n".join(p.extract_text() for p in reader.pages)
        for text in texts:
            assert ctx.resolve(text) in words, (ctx.resolve(text), words[:400])

    return check


def json_seconds_left() -> Check:
    def check(ctx: Ctx) -> None:
        assert ctx.status == 200, ctx.snippet()
        assert ctx.response.get_json()["seconds_left"] > 0

    return check


def csv(*texts, then: Check | None = None) -> Check:
    """A CSV download that holds these words."""

    def check(ctx: Ctx) -> None:
        assert ctx.status == 200, ctx.snippet()
        assert ctx.response.mimetype == "text/csv", ctx.snippet()
        body = ctx.response.get_data(as_text=True)
        for text in texts:
            assert ctx.resolve(text) in body, (ctx.resolve(text), body[:400])
        if then is not None:
            then(ctx)

    return check


# --- a row of the matrix ----------------------------------------------------------------------
@dataclass(frozen=True)
class Elsewhere:
    """A request on a record of another property or another department, and what it gets.

    `args` and `obj` default to the row's (built from the other world); `code` None means
    allowed (the row's `ok` check applies)."""

    name: str = ""
    args: Args | None = None
    obj: Callable[[Ctx], Any] | None = None
    code: int | None = 404
    xfail: str | None = None


@dataclass(frozen=True)
class Row:
    endpoint: str
    allowed: frozenset[str] | str  # roles allowed on the target in their own property, or PUBLIC
    ok: Check  # what an allowed request gets
    method: str = "GET"
    args: Args = lambda ctx: {}
    given: Callable[[Ctx], Any] | None = None  # records that must exist before the request
    data: Callable[[Ctx], dict] | None = None  # the form of a POST (valid: it would succeed)
    obj: Callable[[Ctx], Any] | None = None  # the record a refusal must name
    refused: int | dict[str, int] | None = None  # default: 404 with an object, 403 without
    anonymous: Check | None = None  # public endpoints: what a visitor gets
    other_property: tuple[Elsewhere, ...] | None = None  # default: one case for object rows
    other_department: tuple[Elsewhere, ...] = ()
    bound_role: str | None = None  # who tries another property's record (default: see below)
    # Known defects, as strict xfails: by role name, or ADMIN_ELSEWHERE for a group admin's
    # request on another property's record.
    xfail: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.endpoint if self.method == "GET" else f"{self.endpoint} {self.method}"

    def allows(self, role: str | None) -> bool:
        return self.allowed == PUBLIC or (role is not None and role in self.allowed)

    def refusal(self, role: str) -> int:
        if isinstance(self.refused, dict):
            return self.refused.get(role, 404 if self.obj else 403)
        if self.refused is not None:
            return self.refused
        return 404 if self.obj else 403

    def elsewhere(self) -> tuple[Elsewhere, ...]:
        if self.other_property is not None:
            return self.other_property
        return (Elsewhere(),) if self.obj is not None else ()

    def role_elsewhere(self) -> str:
        """The role that tries another property's record: the strongest one bound to its
        property that may act on the record at home (else a manager, refused at home too)."""
        if self.bound_role:
            return self.bound_role
        return next((r for r in BOUND_ROLES if self.allows(r)), "manager")


def domain(name: str, rows: Iterable[Row]) -> tuple[Row, ...]:
    rows = tuple(rows)
    ids = [row.id for row in rows]
    assert len(ids) == len(set(ids)), f"{name}: a row is declared twice"
    for row in rows:
        assert row.endpoint.split(".")[0] == name, f"{row.id} belongs to its own domain's file"
    REGISTRY[name] = rows
    return rows


# --- the walk ---------------------------------------------------------------------------------
def _last_audit_id(db) -> int:
    return db.session.scalar(select(func.max(AuditEvent.id))) or 0


def send(row: Row, ctx: Ctx, args: Args | None = None) -> int:
    """Build the row's records, send its request (ctx.response); returns the last audit row's
    id from before the request, so that what the request audited can be told apart."""
    if row.given is not None:
        row.given(ctx)
    values = (args or row.args)(ctx)
    with ctx.client.application.test_request_context():
        path = url_for(row.endpoint, **values)
    data = row.data(ctx) if row.data else {}
    ctx.db.session.commit()
    before = _last_audit_id(ctx.db)
    if row.method == "GET":
        ctx.response = ctx.client.get(path)
    else:
        ctx.response = ctx.client.post_form(path, data)
    return before


def assert_refused(ctx: Ctx, code: int, obj, before: int) -> None:
    """Refused with `code`; the refusal is the one thing the request wrote to the trail (so
    nothing was done: every change writes its own audit row), naming who and what."""
    assert ctx.status == code, ctx.snippet()
    written = list(
        ctx.db.session.scalars(
            select(AuditEvent).where(AuditEvent.id > before).order_by(AuditEvent.id)
        )
    )
    assert [e.action for e in written] == ["access.refused"], [e.summary for e in written]
    refusal = written[0]
    assert refusal.actor_id == (ctx.actor.id if ctx.actor is not None else None)
    assert urlsplit(ctx.response.request.path).path in refusal.summary
    if obj is not None:
        assert (refusal.object_type, refusal.object_id) == (obj.__tablename__, obj.id), (
            refusal.object_type,
            refusal.object_id,
        )


def _param(*values, id: str, reason: str | None = None):
    """A parametrized case; a known defect is a strict xfail (it fails once fixed)."""
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(*values, marks=marks, id=id)


def tests_for(rows: tuple[Row, ...]) -> dict:
    """The tests of a domain's rows, by name: by role, anonymous, another property and another
    department (the last two only where some row has such a case). A domain's test_access.py
    adds them to its module: `globals().update(access.tests_for(ROWS))`."""
    by_role = [
        _param(row, role, id=f"{row.id}-{role}", reason=row.xfail.get(role))
        for row in rows
        for role in ROLES
    ]
    anonymous = [_param(row, id=row.id) for row in rows]
    other_property = [
        _param(
            row,
            case,
            role,
            id="-".join(filter(None, (row.id, case.name, role))),
            reason=case.xfail if role != "admin" else row.xfail.get(ADMIN_ELSEWHERE),
        )
        for row in rows
        for case in row.elsewhere()
        for role in (row.role_elsewhere(), "admin")
        # a group admin gets the row's own answer: for the row's own records only
        if role != "admin" or (row.allows("admin") and case.args is None)
    ]
    other_department = [
        _param(row, case, id="-".join(filter(None, (row.id, case.name))), reason=case.xfail)
        for row in rows
        for case in row.other_department
    ]

    @pytest.mark.parametrize(("row", "role"), by_role)
    def test_by_role(client, db, login_as, row: Row, role: str):
        world = World()
        actor = login_as(role, dept=TARGET_DEPARTMENT)
        ctx = Ctx(world, world, actor, client, db)
        before = send(row, ctx)
        if row.allows(role):
            row.ok(ctx)
        else:
            assert_refused(ctx, row.refusal(role), row.obj(ctx) if row.obj else None, before)

    @pytest.mark.parametrize("row", anonymous)
    def test_anonymous(client, db, row: Row):
        world = World()
        ctx = Ctx(world, world, None, client, db)
        before = send(row, ctx)
        if row.allowed == PUBLIC:
            (row.anonymous or row.ok)(ctx)
            return
        assert ctx.status == 303, ctx.snippet()
        target = urlsplit(ctx.location)
        assert target.path == "/auth/login", ctx.location
        if row.method == "GET":
            asked = ctx.response.request
            wanted = asked.path + (f"?{asked.query_string.decode()}" if asked.query_string else "")
            assert parse_qs(target.query)["next"] == [wanted]
        assert _last_audit_id(db) == before  # nothing happened: not even a refusal to record

    @pytest.mark.parametrize(("row", "case", "role"), other_property)
    def test_other_property(client, db, login_as, row: Row, case: Elsewhere, role: str):
        home, other = World(), World(ELSEWHERE)
        actor = login_as(role, dept=TARGET_DEPARTMENT)
        ctx = Ctx(other, home, actor, client, db)
        before = send(row, ctx, case.args)
        if role == "admin":  # a group admin works at every property
            row.ok(ctx)
            return
        obj = (case.obj or row.obj)(ctx)
        assert obj is not None
        assert_refused(ctx, case.code, obj, before)

    @pytest.mark.parametrize(("row", "case"), other_department)
    def test_other_department(client, db, login_as, row: Row, case: Elsewhere):
        world = World()
        actor = login_as("supervisor", dept=OTHER_DEPARTMENT)
        assert [d.code for d in actor.supervises] == [OTHER_DEPARTMENT]
        ctx = Ctx(world, world, actor, client, db)
        before = send(row, ctx, case.args)
        if case.code is None:
            row.ok(ctx)
            return
        assert_refused(ctx, case.code, (case.obj or row.obj)(ctx), before)

    tests = {"test_by_role": test_by_role, "test_anonymous": test_anonymous}
    if other_property:
        tests["test_other_property"] = test_other_property
    if other_department:
        tests["test_other_department"] = test_other_department
    return tests
