"""The day's roster: which rooms each attendant cleans, built by the housekeeping supervisor,
by hand or from a fair split proposed by one "balance" action."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flask import abort, flash, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.blueprints.people.models import User
from portal.blueprints.rosters import bp, services
from portal.blueprints.rosters.forms import ApplyForm, AssignForm, BalanceForm, MoveForm
from portal.blueprints.rosters.models import Assignment, Room
from portal.blueprints.rosters.permissions import can_build_roster, can_change_assignment
from portal.calendar import day_arg
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm
from portal.htmx import redirect_to, render
from portal.i18n import gettext as _
from portal.i18n import local_today
from portal.permissions import in_property
from portal.security import LARGEST_ID, bounded_id, require


def _day():
    today = local_today()
    return day_arg("day", today)


def _roster_context(day, *, assign_form=None, balance_form=None) -> dict:
    property_id = current_user.property_id
    people = services.attendants(property_id)
    rows = db.session.execute(
        select(Assignment, Room)
        .join(Room, Room.id == Assignment.room_id)
        .where(Assignment.property_id == property_id, Assignment.day == day)
        .order_by(Assignment.attendant_id, Assignment.position)
    )
    lists: dict[int, list] = {p.id: [] for p in people}
    for assignment, room in rows:
        lists.setdefault(assignment.attendant_id, []).append((assignment, room))
    totals = {pid: sum((a.credits for a, _ in items), Decimal(0)) for pid, items in lists.items()}
    waiting = services.rooms_to_assign(property_id, day)
    choices = [(p.id, p.name) for p in people]
    assign_form = assign_form or AssignForm()
    assign_form.room_ids.choices = [(r.id, r.number) for r in waiting]
    assign_form.attendant_id.choices = [(None, _("Choose the attendant")), *choices]
    balance_form = balance_form or BalanceForm()
    balance_form.attendant_ids.choices = choices
    if not balance_form.attendant_ids.data:
        balance_form.attendant_ids.data = [pid for pid, items in lists.items() if items]
    from portal.blueprints.rosters import areas

    return {
        "areas": areas.area_list_of(property_id),
        "area_lists": areas.assignments(property_id, day),
        "day": day,
        "today": local_today(),
        "people": people,
        "lists": lists,
        "totals": totals,
        "waiting": waiting,
        "assign_form": assign_form,
        "balance_form": balance_form,
        "move_choices": choices,
        "past": day < local_today(),
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
    }


@bp.get("/day")
def roster():
    require(can_build_roster)
    return render("rosters/roster.html", **_roster_context(_day()))


def _attendant(person_id: int | None) -> User:
    person = db.session.get(User, person_id, options=[joinedload(User.department)])
    if person is None:
        raise DomainError(_("Choose the attendant."), "attendant_id")
    return person


def _rooms(ids: list[int]) -> list[Room]:
    ids = [i for i in ids if 0 < i <= LARGEST_ID]
    rooms = list(
        db.session.scalars(
            select(Room)
            .options(joinedload(Room.room_type))
            .where(Room.id.in_(ids), Room.property_id == current_user.property_id)
            .order_by(Room.floor, Room.number)
        )
    )
    if len(rooms) != len(set(ids)):
        raise DomainError(_("A room of the list is not at this property. Reload the page."))
    return rooms


@bp.post("/day/assign")
def assign():
    require(can_build_roster)
    day = _day()
    form = AssignForm()
    _roster_context(day, assign_form=form)  # the choices the post is checked against
    if form.validate():
        try:
            if day < local_today():
                raise DomainError(_("This day is over: its roster can no longer change."))
            person = _attendant(form.attendant_id.data)
            rooms = _rooms(form.room_ids.data)
            services.assign_all([(r, person) for r in rooms], day, by=current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            error.attach(form)
        else:
            flash(
                _("%(n)s rooms put on %(name)s's list.", n=len(rooms), name=person.name),
                "success",
            )
            return redirect_to(url_for("rosters.roster", day=day.isoformat()))
    db.session.expire_all()
    context = _roster_context(day, assign_form=form)
    return render("rosters/roster.html", status=422, **context)


def _assignment(assignment_id: int) -> Assignment:
    assignment = db.session.get(
        Assignment,
        bounded_id(assignment_id),
        options=[joinedload(Assignment.room), joinedload(Assignment.attendant)],
    )
    if assignment is None:
        abort(404)
    return assignment


def _back(assignment: Assignment):
    return redirect_to(url_for("rosters.roster", day=assignment.day.isoformat()))


def _refused(assignment: Assignment, message: str):
    flash(message, "danger")
    db.session.expire_all()
    return render("rosters/roster.html", status=409, **_roster_context(assignment.day))


@bp.post("/assignments/<int:assignment_id>/move")
def move(assignment_id: int):
    assignment = _assignment(assignment_id)
    require(
        can_change_assignment,
        assignment,
        hide=not in_property(current_user, assignment.property_id),
    )
    form = MoveForm()
    form.attendant_id.choices = [
        (p.id, p.name) for p in services.attendants(assignment.property_id)
    ]
    if not form.validate():
        return _refused(assignment, _("Choose the attendant."))
    try:
        if assignment.day < local_today():
            raise DomainError(_("This day is over: its roster can no longer change."))
        services.move_assignment(assignment, _attendant(form.attendant_id.data), by=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        return _refused(assignment, error.message)
    return _back(assignment)


@bp.post("/assignments/<int:assignment_id>/remove")
def remove(assignment_id: int):
    assignment = _assignment(assignment_id)
    require(
        can_change_assignment,
        assignment,
        hide=not in_property(current_user, assignment.property_id),
    )
    if not EmptyForm().validate():  # the CSRF token
        return _refused(assignment, _("Reload the page and try again."))
    day = assignment.day
    try:
        if day < local_today():
            raise DomainError(_("This day is over: its roster can no longer change."))
        services.remove_assignment(assignment, by=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        return _refused(assignment, error.message)
    return redirect_to(url_for("rosters.roster", day=day.isoformat()))


@bp.post("/day/balance")
def balance():
    """Propose a fair split of the rooms left between the attendants ticked; nothing is written
    until the supervisor applies it."""
    require(can_build_roster)
    day = _day()
    form = BalanceForm()
    context = _roster_context(day, balance_form=form)
    if not form.validate():
        return render("rosters/roster.html", status=422, **context)
    chosen = [p for p in context["people"] if p.id in set(form.attendant_ids.data)]
    existing = services.loads(current_user.property_id, day)
    proposal = services.balance(context["waiting"], chosen, existing)
    totals = {p.id: existing.get(p.id, Decimal(0)) for p in chosen}
    for item in proposal:
        totals[item.attendant.id] += item.credits
    return render(
        "rosters/balance.html",
        day=day,
        proposal=proposal,
        chosen=chosen,
        existing=existing,
        totals=totals,
        apply_form=ApplyForm(),
    )


@bp.post("/day/apply")
def apply():
    require(can_build_roster)
    day = _day()
    form = ApplyForm()
    if not form.validate():
        flash(form.pairs.errors[0] if form.pairs.errors else _("Propose again."), "danger")
        return render("rosters/roster.html", status=422, **_roster_context(day))
    try:
        if day < local_today():
            raise DomainError(_("This day is over: its roster can no longer change."))
        pairs = form.parsed()
        rooms = {r.id: r for r in _rooms([room_id for room_id, _ in pairs])}
        people = {}
        for _room_id, person_id in pairs:
            if person_id not in people:
                people[person_id] = _attendant(person_id)
        services.assign_all(
            [(rooms[room_id], people[person_id]) for room_id, person_id in pairs],
            day,
            by=current_user,
        )
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        db.session.expire_all()
        flash(error.message + " " + _("Nothing was assigned: propose again."), "danger")
        return render("rosters/roster.html", status=409, **_roster_context(day))
    flash(_("%(n)s rooms assigned.", n=len(pairs)), "success")
    return redirect_to(url_for("rosters.roster", day=day.isoformat()))
