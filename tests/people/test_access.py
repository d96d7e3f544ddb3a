"""Who may reach each people endpoint: every role, anonymous, another property's person and a
supervisor of another department (see tests/access.py for the walk)."""

import re

from sqlalchemy import select

from portal.blueprints.people.models import JobTitle, User
from tests import access, factories
from tests.access import ALL, Elsewhere, Row, csv, page, pdf, redirect

SEE = frozenset({"supervisor", "hr", "manager", "admin"})  # the target's record
EDIT = frozenset({"hr", "admin"})
# Refused where the person's record is visible to them (403) or not (404).
NOT_EDITORS = {"employee": 404, "supervisor": 403, "manager": 403}
SUPERVISOR_ELSEWHERE = (Elsewhere(code=404),)  # a supervisor of FO does not see an HK person


def target(ctx):
    return ctx.world.person


def name(ctx):
    return ctx.world.person.name_en


def detail_of(person):
    return lambda ctx: f"/people/{person(ctx).id}"


def _title(ctx, name: str, **kw) -> JobTitle:
    """A job title of the world's target department, made on first use."""
    made = ctx.world.__dict__.setdefault("job_titles", {})
    if name not in made:
        title = JobTitle(
            property_id=ctx.world.prop.id,
            department_id=ctx.world.department().id,
            title_en=name,
            title_zh=kw.pop("title_zh", "客房服务员"),
            grade=kw.pop("grade", "junior"),
            **kw,
        )
        ctx.db.session.add(title)
        ctx.db.session.flush()
        made[name] = title
    return made[name]


def held_title(ctx) -> JobTitle:
    """Held by the target person (so it can be retired, never removed)."""
    title = _title(ctx, "Room attendant", assigned=True)
    target(ctx).job_title_id = title.id
    ctx.db.session.flush()
    return title


def retired_title(ctx) -> JobTitle:
    from portal.database import utcnow

    return _title(ctx, "Linen room attendant", title_zh="布草房服务员", retired_at=utcnow())


def unused_title(ctx) -> JobTitle:
    return _title(ctx, "Mistyped attendant", title_zh="错字服务员")


TITLE_LIST = re.compile(r"/people/job-titles(\?property=\d+)?#department-\d+")
TITLE_EDITORS = {"employee": 404, "supervisor": 404, "manager": 403}


def fresh_title(ctx, title):
    ctx.db.session.refresh(title)
    return title


def title_renamed(ctx):
    assert fresh_title(ctx, held_title(ctx)).title_en == "Guest room attendant"


def title_retired(ctx):
    title = fresh_title(ctx, held_title(ctx))
    assert title.retired
    assert fresh(ctx, target(ctx)).job_title_id == title.id  # its holder keeps it


def title_restored(ctx):
    assert not fresh_title(ctx, retired_title(ctx)).retired


def title_removed(ctx):
    assert (
        ctx.db.session.scalar(select(JobTitle).where(JobTitle.title_en.like("Mistyped%"))) is None
    )


def title_added(ctx):
    title = ctx.db.session.scalar(select(JobTitle).where(JobTitle.title_en == "Butler"))
    assert title is not None and title.property_id == ctx.world.prop.id
    assert (title.title_zh, title.grade) == ("管家", "senior")


def person_form(person, **changes) -> dict:
    data = {
        "name_en": person.name_en,
        "name_zh": person.name_zh,
        "staff_no": person.staff_no,
        "department_id": str(person.department_id),
        "role": person.role,
        "grade": person.grade,
        "username": person.username or "",
        "email": person.email or "",
        "phone": person.phone or "",
        "hire_date": "",
        "locale": person.locale or "",
        "version": str(person.version),
    }
    data.update(changes)
    return data


def new_person_form(ctx) -> dict:
    return {
        "name_en": "Lin New",
        "name_zh": "林新",
        "staff_no": "E7001",
        "department_id": str(ctx.home.department().id),
        "role": "employee",
        "grade": "junior",
        "pin": "482913",
        "idempotency_key": "access-matrix-new-person-01",
    }


def staff_list(ctx) -> dict:
    """A one-person staff list, as the upload form sends it."""
    import io

    department = ctx.home.department().code
    text = f"Staff number,Name in English,Department\nZ9001,Ann Import,{department}\n"
    return {"file": (io.BytesIO(text.encode()), "staff.csv")}


def kept_upload(ctx):
    """A staff list checked (not imported yet) at the world's property."""
    from portal.blueprints.people.models import PeopleImport

    made = ctx.world.__dict__.get("upload")
    if made is None:
        department = ctx.world.department().code
        made = PeopleImport(
            property_id=ctx.world.prop.id,
            by_id=ctx.world.person.id,
            filename="staff.xlsx",
            rows=[{"staff_no": "Z9002", "name_en": "Bo Import", "department": department}],
        )
        ctx.db.session.add(made)
        ctx.db.session.flush()
        ctx.world.__dict__["upload"] = made
    return made


def imported(ctx):
    person = ctx.db.session.scalar(select(User).where(User.staff_no == "Z9002"))
    assert person is not None and person.pin_hash is None  # no secret from a spreadsheet


def checked(ctx):
    from portal.blueprints.people.models import PeopleImport

    upload = ctx.db.session.scalar(select(PeopleImport).order_by(PeopleImport.id.desc()))
    assert ctx.location == f"/people/import/{upload.id}"
    assert upload.rows[0]["staff_no"] == "Z9001"


def added(ctx):
    person = ctx.db.session.scalar(select(User).where(User.staff_no == "E7001"))
    assert person is not None and person.property_id == ctx.actor.property_id
    assert ctx.location == f"/people/{person.id}"


def fresh(ctx, person):
    ctx.db.session.refresh(person)
    return person


def saved(ctx):
    assert fresh(ctx, target(ctx)).phone == "+86 139 0000 2222"


def deactivated(ctx):
    assert fresh(ctx, target(ctx)).active is False


def reactivated(ctx):
    assert fresh(ctx, ctx.world.inactive_person).active is True


def pin_reset(ctx):
    assert fresh(ctx, target(ctx)).check_pin("111222")


ROWS = access.domain(
    "people",
    [
        Row(
            "people.index",
            frozenset({"hr", "manager", "admin"}),
            page("People", name),
            args=lambda c: {"q": c.world.person.staff_no},
        ),
        Row("people.create", EDIT, page("Add a person", "Staff number")),
        Row("people.import_people", EDIT, page("Import the staff list", "Check the file")),
        Row(
            "people.import_people",
            EDIT,
            redirect(re.compile(r"/people/import/\d+"), "1 to add", then=checked),
            method="POST",
            data=staff_list,
        ),
        Row(
            "people.import_check",
            EDIT,
            page("staff.xlsx", "Bo Import", "To add"),
            args=lambda c: {"upload_id": kept_upload(c).id},
            obj=kept_upload,
            refused={"employee": 403, "supervisor": 403, "manager": 403},
        ),
        Row(
            "people.import_run",
            EDIT,
            redirect("/people/", "1 people added", then=imported),
            method="POST",
            args=lambda c: {"upload_id": kept_upload(c).id},
            obj=kept_upload,
            refused={"employee": 403, "supervisor": 403, "manager": 403},
        ),
        Row(
            "people.export_people",
            frozenset({"hr", "manager", "admin"}),
            csv("Staff number,Name in English", name),
            args=lambda c: {"format": "csv"},
            given=target,
        ),
        Row(
            "people.create",
            EDIT,
            redirect(re.compile(r"/people/\d+"), "Lin New was added.", then=added),
            method="POST",
            data=new_person_form,
        ),
        Row(
            "people.create_fields",
            EDIT,
            page("Add a person", "First PIN (6 digits)"),
            args=lambda c: {"role": "employee"},
        ),
        Row(
            "people.edit_fields",
            EDIT,
            page(lambda c: f"Edit {name(c)}"),
            args=lambda c: {"person_id": target(c).id, "role": "supervisor"},
            obj=target,
            refused=NOT_EDITORS,
            other_department=SUPERVISOR_ELSEWHERE,
        ),
        Row(
            "people.confirm_deactivate",
            EDIT,
            page(lambda c: f"Deactivate {name(c)}?", "They cannot sign in until"),
            args=lambda c: {"person_id": target(c).id},
            obj=target,
            refused=NOT_EDITORS,
            other_department=SUPERVISOR_ELSEWHERE,
        ),
        Row(
            "people.job_titles",
            frozenset({"hr", "manager", "admin"}),
            page("Job titles", "Housekeeping", "Room attendant"),
            given=held_title,
        ),
        Row(
            "people.create_job_title",
            EDIT,
            page("Add a job title", "Grade on the career ladder"),
            args=lambda c: {"department": c.world.department().id},
            other_property=(Elsewhere(obj=lambda c: c.world.department()),),
        ),
        Row(
            "people.create_job_title",
            EDIT,
            redirect(TITLE_LIST, "Butler was added to Housekeeping.", then=title_added),
            method="POST",
            args=lambda c: {"department": c.world.department().id},
            data=lambda c: {
                "department_id": str(c.world.department().id),
                "title_en": "Butler",
                "title_zh": "管家",
                "grade": "senior",
                "idempotency_key": "access-matrix-new-title-01",
            },
            other_property=(Elsewhere(obj=lambda c: c.world.department()),),
        ),
        Row(
            "people.edit_job_title",
            EDIT,
            page("Edit Room attendant", "Held by 1 person."),
            args=lambda c: {"title_id": held_title(c).id},
            obj=held_title,
            refused=TITLE_EDITORS,
        ),
        Row(
            "people.edit_job_title",
            EDIT,
            redirect(
                TITLE_LIST,
                "Guest room attendant was saved.",
                then=title_renamed,
            ),
            method="POST",
            args=lambda c: {"title_id": held_title(c).id},
            data=lambda c: {
                "title_en": "Guest room attendant",
                "title_zh": "客房服务员",
                "grade": "junior",
                "version": str(held_title(c).version),
            },
            obj=held_title,
            refused=TITLE_EDITORS,
        ),
        Row(
            "people.retire_job_title",
            EDIT,
            redirect(
                TITLE_LIST,
                "Room attendant is retired",
                then=title_retired,
            ),
            method="POST",
            args=lambda c: {"title_id": held_title(c).id},
            obj=held_title,
            refused=TITLE_EDITORS,
        ),
        Row(
            "people.restore_job_title",
            EDIT,
            redirect(
                TITLE_LIST,
                "Linen room attendant is in use again.",
                then=title_restored,
            ),
            method="POST",
            args=lambda c: {"title_id": retired_title(c).id},
            obj=retired_title,
            refused=TITLE_EDITORS,
        ),
        Row(
            "people.delete_job_title",
            EDIT,
            page("Remove Mistyped attendant?", "This cannot be undone."),
            args=lambda c: {"title_id": unused_title(c).id},
            obj=unused_title,
            refused=TITLE_EDITORS,
        ),
        Row(
            "people.delete_job_title",
            EDIT,
            redirect(TITLE_LIST, "Mistyped attendant was removed.", then=title_removed),
            method="POST",
            args=lambda c: {"title_id": unused_title(c).id},
            obj=unused_title,
            refused=TITLE_EDITORS,
        ),
        Row(
            "people.detail",
            SEE,
            page(name, lambda c: c.world.person.staff_no, "Staff number and PIN"),
            args=lambda c: {"person_id": target(c).id},
            obj=target,
            other_department=SUPERVISOR_ELSEWHERE,
        ),
        Row(
            "people.edit",
            EDIT,
            page(lambda c: f"Edit {name(c)}"),
            args=lambda c: {"person_id": target(c).id},
            obj=target,
            refused=NOT_EDITORS,
            other_department=SUPERVISOR_ELSEWHERE,
        ),
        Row(
            "people.edit",
            EDIT,
            redirect(detail_of(target), lambda c: f"Changes to {name(c)} were saved.", then=saved),
            method="POST",
            args=lambda c: {"person_id": target(c).id},
            data=lambda c: person_form(target(c), phone="+86 139 0000 2222"),
            obj=target,
            refused=NOT_EDITORS,
            other_department=SUPERVISOR_ELSEWHERE,
        ),
        Row(
            "people.deactivate",
            EDIT,
            redirect(
                detail_of(target),
                lambda c: f"{name(c)} was deactivated and signed out everywhere.",
                then=deactivated,
            ),
            method="POST",
            args=lambda c: {"person_id": target(c).id},
            obj=target,
            refused=NOT_EDITORS,
            other_department=SUPERVISOR_ELSEWHERE,
        ),
        Row(
            "people.reactivate",
            EDIT,
            redirect(
                detail_of(lambda c: c.world.inactive_person),
                "Kai Inactive can sign in again.",
                then=reactivated,
            ),
            method="POST",
            args=lambda c: {"person_id": c.world.inactive_person.id},
            obj=lambda c: c.world.inactive_person,
            refused=NOT_EDITORS,
            other_department=SUPERVISOR_ELSEWHERE,
        ),
        Row(
            "people.reset_secret",
            EDIT,
            page("Set a new PIN", lambda c: c.world.person.staff_no),
            args=lambda c: {"person_id": target(c).id},
            obj=target,
            refused=NOT_EDITORS,
            other_department=SUPERVISOR_ELSEWHERE,
        ),
        Row(
            "people.reset_secret",
            EDIT,
            redirect(
                detail_of(target), lambda c: f"A new PIN is set for {name(c)}.", then=pin_reset
            ),
            method="POST",
            args=lambda c: {"person_id": target(c).id},
            data=lambda c: {"secret": "111222", "confirm": "111222"},
            obj=target,
            refused=NOT_EDITORS,
            other_department=SUPERVISOR_ELSEWHERE,
        ),
        Row(
            "people.staff_record_pdf",
            frozenset({"hr", "manager", "admin"}),
            pdf(lambda c: c.world.person.staff_no),
            args=lambda c: {"person_id": target(c).id},
            obj=target,
            refused={"employee": 404, "supervisor": 403},
            other_department=SUPERVISOR_ELSEWHERE,
        ),
    ],
)

globals().update(access.tests_for(ROWS))


def test_every_role_sees_their_own_record(client, db, login_as):
    for role in sorted(ALL):
        me = login_as(role)
        assert me.name_en in access.text_of(client.get(f"/people/{me.id}"))
        client.post_form("/auth/logout")


def test_hr_cannot_edit_a_group_admin(client, db, login_as):
    admin = factories.person("admin")
    login_as("hr")
    assert client.get(f"/people/{admin.id}").status_code == 200
    assert client.get(f"/people/{admin.id}/edit").status_code == 403
    assert client.post_form(f"/people/{admin.id}/deactivate").status_code == 403
    db.session.refresh(admin)
    assert admin.active is True


def test_the_deactivate_button_is_offered_for_others_never_for_oneself(client, db, login_as):
    from portal.blueprints.people.permissions import can_deactivate_person

    hr = login_as("hr")
    colleague = factories.person("employee")
    assert can_deactivate_person(hr, colleague) and not can_deactivate_person(hr, hr)
    assert not can_deactivate_person(factories.person("manager"), colleague)
    assert "Deactivate" in access.text_of(client.get(f"/people/{colleague.id}"))
    assert "Deactivate" not in access.text_of(client.get(f"/people/{hr.id}"))
