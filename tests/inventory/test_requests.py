"""Supply requests: asked by an employee, approved (perhaps for less) or refused by their
supervisor, issued by the store once, every line or none; and the lists of who sees which."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from portal.blueprints.inventory import requests, stock
from portal.blueprints.inventory.models import (
    Kind,
    Movement,
    RequestStatus,
    StoreKind,
    SupplyRequest,
    Unit,
)
from portal.errors import DomainError
from portal.extensions import db
from tests import factories
from tests.inventory import helpers as h


@pytest.fixture
def w(db, ctx):
    """Housekeeping's attendant and supervisor, the main store with 20 each of towels, soap
    and slippers, and its storekeeper."""
    prop = factories.property_()
    keeper = h.storekeeper(prop)
    main = h.store(prop, name_en="Main store")
    towel = h.item(prop, "Bath towel", unit_cost="2.50")
    soap = h.item(prop, "Soap bar", unit_cost="0.40")
    slippers = h.item(prop, "Slippers", unit=Unit.PAIR, unit_cost="1.20")
    for item in (towel, soap, slippers):
        h.stocked(main, item, 20, by=keeper)
    return SimpleNamespace(
        prop=prop,
        keeper=keeper,
        main=main,
        towel=towel,
        soap=soap,
        slippers=slippers,
        attendant=factories.person("employee", prop=prop, dept="HK"),
        supervisor=factories.person("supervisor", prop=prop, dept="HK"),
        hk=factories.department(prop, "HK"),
    )


def ask(w, lines=None, *, by=None, for_where="Floor 3 pantry", store=None) -> SupplyRequest:
    lines = lines if lines is not None else [(w.towel, 6), (w.soap, 4), (w.slippers, 2)]
    return requests.create(by or w.attendant, store or w.main, for_where, lines)


def line_of(request: SupplyRequest, item):
    return next(line for line in request.lines if line.item_id == item.id)


def approved(w, lines=None, **kw) -> SupplyRequest:
    request = ask(w, lines, **kw)
    requests.approve(request, {}, by=w.supervisor)
    return request


def stock_of(w) -> dict[str, Decimal]:
    return {i.name_en: h.on_hand(w.main, i) for i in (w.towel, w.soap, w.slippers)}


FULL = {"Bath towel": 20, "Soap bar": 20, "Slippers": 20}


def refused(call, *, field: str | None = None) -> DomainError:
    before = h.written()
    with pytest.raises(DomainError) as caught:
        call()
    assert h.written() == before
    if field is not None:
        assert caught.value.field == field, caught.value.message
    return caught.value


# --- the whole flow -----------------------------------------------------------------------------
def test_asked_approved_for_less_with_a_line_struck_out_then_issued(w):
    request = ask(w)
    assert request.status == RequestStatus.OPEN
    assert (request.requester_id, request.department_id) == (w.attendant.id, w.hk.id)
    assert [(line.item_id, line.quantity, line.approved) for line in request.lines] == [
        (w.towel.id, 6, None),
        (w.soap.id, 4, None),
        (w.slippers.id, 2, None),
    ]
    (asked,) = h.events("inventory.requested")
    assert asked.object_id == request.id and asked.actor_id == w.attendant.id
    assert asked.summary == f"{w.towel.code} x 6, {w.soap.code} x 4, {w.slippers.code} x 2"

    towel, soap, slippers = (line_of(request, i) for i in (w.towel, w.soap, w.slippers))
    requests.approve(
        request, {towel.id: Decimal("4"), slippers.id: 0}, by=w.supervisor, note=" Half now "
    )
    db.session.expire_all()
    assert request.status == RequestStatus.APPROVED
    assert (request.decided_by_id, request.decision_note) == (w.supervisor.id, "Half now")
    assert request.decided_at is not None
    assert (towel.approved, soap.approved, slippers.approved) == (4, 4, 0)
    (decided,) = h.events("inventory.request_approved")
    assert decided.actor_id == w.supervisor.id
    assert decided.summary == f"{w.towel.code}: 6 -> 4; {w.slippers.code}: 2 -> 0"
    assert requests.to_issue([w.main.id]) == [request]
    assert stock_of(w) == FULL  # approving takes nothing yet

    moved = requests.issue(request, by=w.keeper)
    db.session.expire_all()
    assert request.status == RequestStatus.ISSUED
    assert request.issued_by_id == w.keeper.id and request.issued_at is not None
    assert stock_of(w) == {"Bath towel": 16, "Soap bar": 16, "Slippers": 20}
    assert len(moved) == 2
    rows = h.movements(Movement.request_id == request.id)
    assert [(m.item_id, m.quantity, m.change) for m in rows] == [
        (w.towel.id, 4, -4),
        (w.soap.id, 4, -4),
    ]
    for m in rows:
        assert (m.kind, m.store_id, m.department_id) == (Kind.ISSUE, w.main.id, w.hk.id)
        assert (m.person_id, m.by_id, m.note) == (w.attendant.id, w.keeper.id, "Floor 3 pantry")
    assert [m.value for m in rows] == [Decimal("10.00"), Decimal("1.60")]
    assert h.actions()[-3:] == ["inventory.issue", "inventory.issue", "inventory.request_issued"]
    assert requests.to_issue([w.main.id]) == []


def test_approving_without_changes_approves_what_was_asked(w):
    request = approved(w)
    assert [line.approved for line in request.lines] == [6, 4, 2]
    (decided,) = h.events("inventory.request_approved")
    assert decided.summary == ""


def test_approving_more_than_asked_is_refused(w):
    request = ask(w)
    towel = line_of(request, w.towel)
    error = refused(
        lambda: requests.approve(request, {towel.id: 7}, by=w.supervisor), field="lines"
    )
    assert "Bath towel" in error.message and "6 asked for" in error.message
    assert request.status == RequestStatus.OPEN and towel.approved is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "0 or more"),
        (None, "every line"),
        (Decimal("1.5"), "whole number"),
    ],
)
def test_a_bad_approved_quantity_is_refused(w, value, message):
    request = ask(w)
    soap = line_of(request, w.soap)
    error = refused(
        lambda: requests.approve(request, {soap.id: value}, by=w.supervisor), field="lines"
    )
    assert message in error.message
    assert request.status == RequestStatus.OPEN


def test_a_nan_approved_quantity_is_refused(w):
    request = ask(w)
    soap = line_of(request, w.soap)
    refused(lambda: requests.approve(request, {soap.id: Decimal("NaN")}, by=w.supervisor))


def test_striking_out_every_line_is_refused(w):
    request = ask(w)
    every = {line.id: 0 for line in request.lines}
    error = refused(lambda: requests.approve(request, every, by=w.supervisor), field="lines")
    assert "refuse the request instead" in error.message
    assert request.status == RequestStatus.OPEN


def test_a_request_is_approved_once(w):
    request = approved(w)
    error = refused(lambda: requests.approve(request, {}, by=w.supervisor))
    assert f"Request {request.id} is now" in error.message
    assert RequestStatus.APPROVED.label in error.message


def test_refusing_needs_a_note_and_then_nothing_more_happens(w):
    request = ask(w)
    for note in ("", "   ", None):
        error = refused(lambda n=note: requests.refuse(request, n, by=w.supervisor), field="note")
        assert "Say why" in error.message
    requests.refuse(request, "  Take them from the linen room.  ", by=w.supervisor)
    db.session.expire_all()
    assert request.status == RequestStatus.REJECTED
    assert request.decision_note == "Take them from the linen room."
    assert request.decided_by_id == w.supervisor.id
    (event,) = h.events("inventory.request_refused")
    assert event.summary == "Take them from the linen room."
    for call in (
        lambda: requests.approve(request, {}, by=w.supervisor),
        lambda: requests.issue(request, by=w.keeper),
        lambda: requests.cancel(request, by=w.attendant),
    ):
        assert RequestStatus.REJECTED.label in refused(call).message
    assert stock_of(w) == FULL


def test_the_requester_cancels_while_it_is_open_only(w):
    request = ask(w)
    requests.cancel(request, by=w.attendant)
    assert request.status == RequestStatus.CANCELLED
    (event,) = h.events("inventory.request_cancelled")
    assert (event.object_id, event.actor_id) == (request.id, w.attendant.id)
    assert (
        RequestStatus.CANCELLED.label
        in refused(lambda: requests.cancel(request, by=w.attendant)).message
    )

    later = approved(w)
    error = refused(lambda: requests.cancel(later, by=w.attendant))
    assert RequestStatus.APPROVED.label in error.message
    assert later.status == RequestStatus.APPROVED


def test_an_open_request_is_not_issued(w):
    request = ask(w)
    error = refused(lambda: requests.issue(request, by=w.keeper))
    assert RequestStatus.OPEN.label in error.message
    assert stock_of(w) == FULL


def test_a_request_is_issued_once(w):
    request = approved(w)
    requests.issue(request, by=w.keeper)
    error = refused(lambda: requests.issue(request, by=w.keeper))
    assert f"Request {request.id} is now: {RequestStatus.ISSUED.label}." == error.message
    assert stock_of(w) == {"Bath towel": 14, "Soap bar": 16, "Slippers": 18}
    assert h.count(Movement, Movement.request_id == request.id) == 3


def test_one_line_short_refuses_the_whole_issue(w):
    request = ask(w, [(w.towel, 6), (w.soap, 25), (w.slippers, 2)])
    requests.approve(request, {}, by=w.supervisor)
    db.session.commit()
    before = h.written()
    with pytest.raises(DomainError) as caught:
        requests.issue(request, by=w.keeper)
    assert "Only 20" in caught.value.message and "Soap bar" in caught.value.message
    assert "not enough for 25" in caught.value.message
    db.session.rollback()  # as the view does
    assert h.written() == before
    assert stock_of(w) == FULL
    assert db.session.get(SupplyRequest, request.id).status == RequestStatus.APPROVED
    assert request.issued_by_id is None


def test_a_custodian_item_in_a_request_is_issued_by_its_custodian(w):
    custodian = h.storekeeper(w.prop, name_en="Kim Custodian")
    iron = h.item(w.prop, "Steam iron", unit_cost="80.00", custodian=custodian)
    h.stocked(w.main, iron, 2, by=custodian)
    request = approved(w, [(w.towel, 1), (iron, 1)])
    db.session.commit()
    with pytest.raises(DomainError) as caught:
        requests.issue(request, by=w.keeper)
    assert "Kim Custodian" in caught.value.message
    db.session.rollback()
    assert h.on_hand(w.main, w.towel) == 20
    requests.issue(request, by=custodian)
    assert h.on_hand(w.main, iron) == 1 and h.on_hand(w.main, w.towel) == 19


# --- asking -------------------------------------------------------------------------------------
def _other_property():
    other = factories.property_("OTH")
    return h.store(other), h.item(other, "Their towel")


CREATE_REFUSALS = {
    "no place": (lambda w: ask(w, for_where=""), "for_where", "Say where"),
    "blank place": (lambda w: ask(w, for_where="   "), "for_where", "Say where"),
    "no lines": (lambda w: ask(w, []), "lines", "at least one item"),
    "twice the same item": (
        lambda w: ask(w, [(w.towel, 1), (w.soap, 1), (w.towel, 2)]),
        "lines",
        "Bath towel is asked for twice",
    ),
    "21 lines": (
        lambda w: ask(w, [(h.item(w.prop, f"Thing {n}"), 1) for n in range(21)]),
        "lines",
        "at most 20 items",
    ),
    "another property's item": (
        lambda w: ask(w, [(w.towel, 1), (_other_property()[1], 1)]),
        "lines",
        "items this property stocks",
    ),
    "an item no longer stocked": (
        lambda w: ask(w, [(h.item(w.prop, "Old", active=False), 1)]),
        "lines",
        "items this property stocks",
    ),
    "another property's store": (
        lambda w: ask(w, store=_other_property()[0]),
        "store_id",
        "this property's stores",
    ),
    "a closed store": (
        lambda w: ask(w, store=h.store(w.prop, StoreKind.LINEN, active=False)),
        "store_id",
        "this property's stores",
    ),
    "no store": (
        lambda w: requests.create(w.attendant, None, "Desk", [(w.towel, 1)]),
        "store_id",
        "this property's stores",
    ),
    "no quantity": (lambda w: ask(w, [(w.towel, 0)]), "lines", "more than 0"),
    "half a towel": (lambda w: ask(w, [(w.towel, Decimal("0.5"))]), "lines", "whole number"),
}


@pytest.mark.parametrize("case", list(CREATE_REFUSALS))
def test_a_bad_request_is_refused_and_nothing_is_written(w, case):
    call, field, message = CREATE_REFUSALS[case]
    with pytest.raises(DomainError) as caught:
        call(w)
    assert caught.value.field == field and message in caught.value.message
    assert h.count(SupplyRequest) == 0 and h.events("inventory.requested") == []


def test_twenty_lines_are_accepted(w):
    request = ask(w, [(h.item(w.prop, f"Thing {n}"), 1) for n in range(20)])
    assert len(request.lines) == 20


# --- who sees which -----------------------------------------------------------------------------
def test_a_supervisor_decides_their_departments_open_requests_never_their_own(w):
    mine = ask(w, for_where="Room 301")
    fo_employee = factories.person("employee", prop=w.prop, dept="FO")
    front_desk = ask(w, by=fo_employee, for_where="Front desk")
    own = ask(w, by=w.supervisor, for_where="Office")
    already = approved(w, for_where="Room 302")
    colleague = ask(w, by=factories.person("employee", prop=w.prop, dept="HK"), for_where="3F")
    other = factories.property_("OTH")
    their_store = h.store(other)
    their_item = h.item(other, "Their towel")
    requests.create(factories.person("employee", prop=other), their_store, "X", [(their_item, 1)])

    assert requests.to_decide(w.supervisor) == [mine, colleague]
    assert already.status == RequestStatus.APPROVED
    # a supervisor of both departments sees both; the manager sees all but their own
    w.supervisor.supervises = [w.hk, factories.department(w.prop, "FO")]
    db.session.flush()
    assert requests.to_decide(w.supervisor) == [mine, front_desk, colleague]
    manager = h.manager(w.prop)
    managers = ask(w, by=manager, for_where="Lobby")
    assert requests.to_decide(manager) == [mine, front_desk, own, colleague]
    assert managers not in requests.to_decide(manager)
    # an employee decides nothing
    assert requests.to_decide(w.attendant) == []


def test_mine_lists_the_requesters_own_requests_newest_first(w):
    first = ask(w, for_where="Room 301")
    second = approved(w, for_where="Room 302")
    ask(w, by=w.supervisor, for_where="Office")
    third = ask(w, for_where="Room 303")
    requests.cancel(third, by=w.attendant)
    assert requests.mine(w.attendant) == [third, second, first]
    assert requests.mine(w.attendant, limit=2) == [third, second]
    assert requests.mine(w.keeper) == []


def test_to_issue_lists_the_approved_requests_of_the_stores_given(w):
    pantry = h.store(w.prop, StoreKind.PANTRY, floor=3)
    for item in (w.towel, w.soap):
        h.stocked(pantry, item, 5, by=w.keeper)
    at_main = approved(w)
    at_pantry = approved(w, [(w.towel, 1)], store=pantry)
    ask(w)  # open: not for the store yet
    assert requests.to_issue([w.main.id]) == [at_main]
    assert requests.to_issue([w.main.id, pantry.id]) == [at_main, at_pantry]
    assert requests.to_issue([]) == []
    stock.issue(w.towel, w.main, 1, by=w.keeper, department=w.hk)  # unrelated: no effect
    assert requests.to_issue([pantry.id]) == [at_pantry]
