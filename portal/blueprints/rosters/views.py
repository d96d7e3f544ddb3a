"""Rosters pages: the board, an attendant's rooms, a room with its checklist, the inspection.

parse -> load -> require(can_...) -> one operation -> commit once -> answer. Every tap works
as a plain form post without JavaScript (303 back to the page) and as an htmx swap of what it
changed.
"""

from __future__ import annotations

from flask import abort, flash, make_response, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal.blueprints.rosters import board as boards
from portal.blueprints.rosters import bp, finds, services
from portal.blueprints.rosters.checklist import checklist_of
from portal.blueprints.rosters.forms import DeferForm, DirtyForm, RushForm, TickForm, inspect_form
from portal.blueprints.rosters.models import (
    OCCUPANCY_LABELS,
    Assignment,
    Cleaning,
    Deferral,
    Occupancy,
    Room,
    RoomStatus,
    SkipReason,
)
from portal.blueprints.rosters.permissions import (
    can_build_roster,
    can_clean,
    can_flag_rush,
    can_inspect,
    can_keep_found,
    can_keep_rooms,
    can_mark_dirty,
    can_report_in_room,
    can_see_my_rooms,
    can_tick,
    can_view_board,
    can_view_defects,
    can_view_room,
)
from portal.database import commit_keeping_loaded
from portal.errors import DomainError
from portal.extensions import db
from portal.htmx import is_htmx, redirect_to, render
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.i18n import local_today, select_locale
from portal.modules import is_registered
from portal.pagination import int_arg
from portal.security import bounded_id, require

POLL_SECONDS = 5


def _room(room_id: int) -> Room:
    room = db.session.get(Room, bounded_id(room_id), options=[joinedload(Room.room_type)])
    if room is None:
        abort(404)
    return room


def _cleaning(cleaning_id: int) -> Cleaning:
    cleaning = db.session.get(
        Cleaning,
        bounded_id(cleaning_id),
        options=[joinedload(Cleaning.room), joinedload(Cleaning.attendant)],
    )
    if cleaning is None:
        abort(404)
    return cleaning


# --- the board ------------------------------------------------------------------------------------
def _board_filters() -> tuple[int | None, str | None]:
    floor = int_arg("floor", default=None, low=-5, high=200)
    status = request.args.get("status") or None
    if status not in {s.value for s in RoomStatus}:
        status = None
    return floor, status


@bp.get("/")
def board():
    """Every room by floor, coloured by status, who is on it; polls itself (304 when nothing
    changed)."""
    require(can_view_board)
    property_id = current_user.property_id
    today = local_today()
    floor, status = _board_filters()
    tag = boards.etag(property_id, today, current_user.id, select_locale(), floor, status)
    if is_htmx() and request.headers.get("If-None-Match", "").strip('"') == tag:
        response = make_response("", 304)
        response.headers["ETag"] = f'"{tag}"'
        return response
    floors, counts = boards.floor_counts(property_id)
    response = render(
        "rosters/board.html",
        block="board",
        floors=floors,
        counts=counts,
        tiles=boards.tiles(property_id, today, floor, status),
        floor=floor,
        status=status,
        statuses=list(RoomStatus),
        tag=tag,
        poll_seconds=POLL_SECONDS,
        may_roster=can_build_roster(current_user),
        may_keep=can_keep_rooms(current_user),
        may_found=can_keep_found(current_user),
        may_defects=can_view_defects(current_user),
        mine=can_see_my_rooms(current_user),
    )
    response.headers["ETag"] = f'"{tag}"'
    return response


# --- an attendant's rooms -------------------------------------------------------------------------
@bp.get("/mine")
def mine():
    require(can_see_my_rooms)
    from portal.blueprints.rosters import areas
    from portal.database import utcnow

    today = local_today()
    rows = services.day_list(current_user.id, today)
    done = sum(1 for r in rows if r.room.status in (RoomStatus.CLEAN, RoomStatus.INSPECTED))
    return render(
        "rosters/mine.html",
        rows=rows,
        done=done,
        today=today,
        area_rows=areas.rows_of(current_user.id, current_user.property_id, today),
        now=utcnow(),
    )


# --- a room ---------------------------------------------------------------------------------------
def _show_room(room: Room, *, status: int = 200, inspect_url: str | None = None):
    today = local_today()
    assignment = services.assignment_for(room, today)
    cleaning = services.newest_cleaning(room)
    open_cleaning = cleaning if cleaning and cleaning.finished_at is None else None
    checklist = checklist_of(open_cleaning) if open_cleaning else None
    ticked = services.ticked(open_cleaning) if open_cleaning else set()
    may_report = can_report_in_room(current_user, room)
    found, broken = finds.of_room(room) if may_report else ([], [])
    return render(
        "rosters/room.html",
        status=status,
        room=room,
        assignment=assignment,
        cleaning=open_cleaning,
        last=cleaning,
        checklist=checklist,
        ticked=ticked,
        history=services.history(room, limit=10),
        may_clean=can_clean(current_user, assignment),
        may_tick=open_cleaning is not None and can_tick(current_user, open_cleaning),
        may_inspect=(
            cleaning is not None
            and cleaning.finished_at is not None
            and room.status == RoomStatus.CLEAN
            and can_inspect(current_user, cleaning)
        ),
        may_rush=can_flag_rush(current_user, room),
        may_dirty=can_mark_dirty(current_user, room)
        and room.status in (RoomStatus.CLEAN, RoomStatus.INSPECTED),
        may_report=may_report,
        # The inventory module tops the room up to its par kit (when it is installed).
        top_up_url=url_for("inventory.top_up_form", room_id=room.id)
        if may_report and is_registered("inventory")
        else None,
        found=found,
        broken=broken,
        defer_form=DeferForm(),
        dirty_form=DirtyForm(occupancy=room.occupancy),
        deferrals=list(Deferral),
        occupancies=list(Occupancy),
    )


@bp.get("/rooms/<int:room_id>")
def room(room_id: int):
    room = _room(room_id)
    require(can_view_room, room)
    return _show_room(room)


def _my_assignment(room: Room) -> Assignment | None:
    return services.assignment_for(room, local_today())


def _require_my_room(room: Room) -> Assignment:
    """The room must be on the signed-in attendant's list today (the refusal names the room,
    which is all there is when the room is on nobody's list)."""
    assignment = _my_assignment(room)

    def can_clean_this_room(user, _room) -> bool:
        return can_clean(user, assignment)

    require(can_clean_this_room, room, hide=not can_view_room(current_user, room))
    return assignment


def _refused(room: Room, message: str):
    flash(message, "danger")
    return _show_room(room, status=409)


@bp.post("/rooms/<int:room_id>/start")
def start(room_id: int):
    room = _room(room_id)
    assignment = _require_my_room(room)
    form = TickForm(done="1")
    if not form.validate():  # the CSRF token
        return _refused(room, _("Reload the page and try again."))
    checklist_url = url_for("rosters.room", room_id=room.id, _anchor="checklist")
    if room.status == RoomStatus.CLEANING:
        under_way = services.open_cleaning(room)
        if under_way is not None and under_way.attendant_id == current_user.id:
            return redirect_to(checklist_url)  # a double tap or a retry: started already
    try:
        services.start(assignment, by=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        db.session.expire_all()
        return _refused(_room(room_id), error.message)
    return redirect_to(checklist_url)


@bp.post("/cleanings/<int:cleaning_id>/steps/<int:position>")
def tick(cleaning_id: int, position: int):
    """A step's tick: htmx swaps the step and the progress; without JavaScript, 303 back."""
    cleaning = _cleaning(cleaning_id)
    require(can_tick, cleaning, hide=not can_view_room(current_user, cleaning.room))
    position = min(position, 10_000)
    form = TickForm()
    message = None
    if not form.validate():
        message = _("Reload the page and try again.")
    else:
        try:
            services.tick(cleaning, position, form.done.data == "1", by=current_user)
            commit_keeping_loaded()
        except DomainError as error:
            db.session.rollback()
            message = error.message
    if not is_htmx():
        if message:
            flash(message, "danger")
            return _show_room(cleaning.room, status=409)
        return redirect_to(
            url_for("rosters.room", room_id=cleaning.room_id, _anchor=f"step-{position}")
        )
    if message:
        flash(message, "danger")
    checklist = checklist_of(cleaning)
    ticked = services.ticked(cleaning)
    step = next((s for s in checklist.steps if s.position == position), None)
    if step is None:
        return render(
            "rosters/room.html",
            block="progress_answer",
            cleaning=cleaning,
            checklist=checklist,
            ticked=ticked,
            progress_oob=True,
        )
    return render(
        "rosters/room.html",
        block="step_answer",
        cleaning=cleaning,
        checklist=checklist,
        ticked=ticked,
        step=step,
        may_tick=True,
        progress_oob=True,
    )


@bp.post("/cleanings/<int:cleaning_id>/finish")
def finish(cleaning_id: int):
    cleaning = _cleaning(cleaning_id)
    require(can_tick, cleaning, hide=not can_view_room(current_user, cleaning.room))
    form = TickForm(done="1")
    if not form.validate():
        return _refused(cleaning.room, _("Reload the page and try again."))
    try:
        services.finish(cleaning, by=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        db.session.expire_all()
        return _refused(_room(cleaning.room_id), error.message)
    flash(_("Room %(room)s is clean.", room=cleaning.room.number), "success")
    return redirect_to(url_for("rosters.mine"))


@bp.post("/rooms/<int:room_id>/defer")
def defer(room_id: int):
    room = _room(room_id)
    assignment = _require_my_room(room)
    form = DeferForm()
    if not form.validate():
        return _refused(room, _("Choose why the room cannot be cleaned now."))
    try:
        services.defer(assignment, Deferral(form.reason.data), by=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        db.session.expire_all()
        return _refused(_room(room_id), error.message)
    flash(_("Room %(room)s moved to the end of your list.", room=room.number), "success")
    return redirect_to(url_for("rosters.mine"))


@bp.post("/rooms/<int:room_id>/rush")
def rush(room_id: int):
    room = _room(room_id)
    require(can_flag_rush, room, hide=not can_view_room(current_user, room))
    form = RushForm()
    if not form.validate():
        return _refused(room, _("Reload the page and try again."))
    try:
        changed = services.set_rush(room, form.rush.data == "1", by=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        db.session.expire_all()
        return _refused(_room(room_id), error.message)
    if changed:
        flash(
            _(
                "Room %(room)s is a rush room: it goes to the top of its attendant's list.",
                room=room.number,
            )
            if room.rush
            else _("Room %(room)s is no longer a rush room.", room=room.number),
            "success",
        )
    return redirect_to(url_for("rosters.room", room_id=room.id))


@bp.post("/rooms/<int:room_id>/dirty")
def dirty(room_id: int):
    room = _room(room_id)
    require(can_mark_dirty, room, hide=not can_view_room(current_user, room))
    form = DirtyForm()
    if not form.validate():
        return _refused(room, _("Choose what the room needs."))
    try:
        services.mark_dirty(room, Occupancy(form.occupancy.data), by=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        db.session.expire_all()
        return _refused(_room(room_id), error.message)
    flash(_("Room %(room)s needs cleaning.", room=room.number), "success")
    return redirect_to(url_for("rosters.room", room_id=room.id))


# --- inspection -----------------------------------------------------------------------------------
@bp.route("/cleanings/<int:cleaning_id>/inspect", methods=["GET", "POST"])
def inspect(cleaning_id: int):
    cleaning = _cleaning(cleaning_id)
    require(can_inspect, cleaning, hide=not can_view_room(current_user, cleaning.room))
    checklist = checklist_of(cleaning)
    form = inspect_form(cleaning.steps, request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                inspection = services.inspect(
                    cleaning, form.items(), form.note.data, by=current_user
                )
                db.session.commit()
            except DomainError as error:
                db.session.rollback()
                error.attach(form)
            else:
                flash(
                    _(
                        "Room %(room)s passed (%(score)s%%): it is ready.",
                        room=cleaning.room.number,
                        score=inspection.score.normalize(),
                    )
                    if inspection.passed
                    else _(
                        "Room %(room)s failed: it goes back to the attendant to clean again.",
                        room=cleaning.room.number,
                    ),
                    "success" if inspection.passed else "warning",
                )
                return redirect_to(url_for("rosters.board"))
        status = 422
        db.session.expire_all()
        cleaning = _cleaning(cleaning_id)
    elif cleaning.room.status != RoomStatus.CLEAN or cleaning.finished_at is None:
        flash(
            _(
                "Room %(room)s is %(status)s: only a clean room can be inspected.",
                room=cleaning.room.number,
                status=cleaning.room.status_enum.label,
            ),
            "warning",
        )
    return render(
        "rosters/inspect.html",
        status=status,
        cleaning=cleaning,
        room=cleaning.room,
        checklist=checklist,
        form=form,
        skip_reasons=list(SkipReason),
    )


STATUS_CLASSES = {
    RoomStatus.DIRTY: "is-dirty",
    RoomStatus.CLEANING: "is-cleaning",
    RoomStatus.CLEAN: "is-clean",
    RoomStatus.INSPECTED: "is-inspected",
}
STATUS_ICONS = {
    RoomStatus.DIRTY: "x-circle-fill",
    RoomStatus.CLEANING: "hourglass-split",
    RoomStatus.CLEAN: "check-circle-fill",
    RoomStatus.INSPECTED: "clipboard-check",
}


@bp.context_processor
def _rosters_helpers() -> dict:
    return {
        "status_classes": STATUS_CLASSES,
        "status_icons": STATUS_ICONS,
        "occupancy_labels": OCCUPANCY_LABELS,
        "found_status_labels": FOUND_STATUS_LABELS,
    }


FOUND_STATUS_LABELS = {
    "kept": _l("Kept at the desk"),
    "returned": _l("Returned"),
    "disposed": _l("Disposed of"),
}
