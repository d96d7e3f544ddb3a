"""Job titles: each department's positions, kept by HR, on the career ladder's grades; a title
someone holds is retired, never deleted; every change audited; existing titles migrated."""

import pytest
from sqlalchemy import create_engine, func, select, text

from portal import audit
from portal.audit import AuditEvent
from portal.blueprints.people import job_titles
from portal.blueprints.people.job_titles import TitleData
from portal.blueprints.people.models import JobTitle, User
from portal.errors import DomainError
from tests import factories
from tests.conftest import text_of


def counts(db) -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(JobTitle)),
        db.session.scalar(select(func.count()).select_from(AuditEvent)),
    )


def add(department, en="Room attendant", zh="客房服务员", grade="junior", by=None):
    by = by or factories.person("hr", dept="HR")
    return job_titles.create_job_title(department, TitleData(en, zh, grade), by=by)


# --- the operations -----------------------------------------------------------------------------
def test_a_department_has_each_title_once(ctx, db):
    prop = factories.property_()
    hk = factories.department(prop, "HK")
    add(hk)
    for en, zh, field in [("ROOM ATTENDANT", "", "title_en"), ("", "客房服务员", "title_zh")]:
        with pytest.raises(DomainError, match="already has the job title") as error:
            add(hk, en=en, zh=zh)
        assert error.value.field == field
    add(factories.department(prop, "FO"))  # another department may use the same words
    with pytest.raises(DomainError, match="in Chinese, in English, or both"):
        add(hk, en="", zh="")
    with pytest.raises(DomainError, match="career ladder"):
        add(hk, en="Valet", zh="代客泊车员", grade="chef")


def test_a_new_grade_moves_the_people_who_hold_the_title_each_audited(ctx, db):
    prop = factories.property_()
    hr = factories.person("hr", dept="HR")
    title = add(factories.department(prop, "HK"), by=hr)
    holders = [factories.person("employee", job_title_id=title.id) for _ in range(2)]
    other = factories.person("employee")
    job_titles.update_job_title(
        title,
        TitleData("Guest room attendant", "客房服务员", "senior"),
        expected_version=None,
        by=hr,
    )
    for person in holders:
        db.session.refresh(person)
        assert person.grade == "senior"
    db.session.refresh(other)
    assert other.grade == "junior"
    changed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "job_title.changed"))
    assert changed.summary == (
        "title_en: Room attendant -> Guest room attendant; grade: junior -> senior"
    )
    moved = db.session.scalars(
        select(AuditEvent.object_id).where(AuditEvent.action == "person.updated")
    ).all()
    assert sorted(moved) == sorted(p.id for p in holders)
    with pytest.raises(DomainError, match="Someone else changed this job title"):
        job_titles.update_job_title(
            title, TitleData("x", "y", "junior"), expected_version=title.version - 1, by=hr
        )


def test_a_held_title_is_retired_never_removed_and_an_unused_one_can_go(ctx, db):
    prop = factories.property_()
    hr = factories.person("hr", dept="HR")
    held = add(factories.department(prop, "HK"), by=hr)
    holder = factories.person("employee", job_title_id=held.id)
    held.assigned = True
    with pytest.raises(DomainError, match="retire it instead"):
        job_titles.delete_job_title(held, by=hr)
    job_titles.retire_job_title(held, by=hr)
    assert held.retired and holder.job_title_id == held.id
    assert held not in job_titles.titles_for_form(prop.id)
    assert held in job_titles.titles_for_form(prop.id, keep=held.id)  # its holder's form
    job_titles.restore_job_title(held, by=hr)
    assert not held.retired
    # Held once, by someone who moved on: still never removed.
    holder.job_title_id = None
    db.session.flush()
    assert not job_titles.can_be_deleted(held)
    typo = add(factories.department(prop, "HK"), en="Roon attendant", zh="客房服务", by=hr)
    job_titles.delete_job_title(typo, by=hr)
    assert db.session.get(JobTitle, typo.id) is None
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "job_titles")
    ).all()
    assert actions == [
        "job_title.created",
        "job_title.retired",
        "job_title.restored",
        "job_title.created",
        "job_title.deleted",
    ]


# --- the pages ----------------------------------------------------------------------------------
def test_the_list_shows_each_department_its_titles_and_holders(client, db, login_as):
    hr = login_as("hr")
    title = add(factories.department(hr.property, "HK"), by=hr)
    factories.person("employee", job_title_id=title.id)
    factories.person("employee", job_title_id=title.id, active=False)
    db.session.commit()
    page = text_of(client.get("/people/job-titles"))
    assert "Housekeeping" in page and "Front Office" in page and "Human Resources" in page
    assert "Room attendant 客房服务员 Junior service specialist 2 people 1 deactivated" in page
    assert "No job titles in Front Office yet." in page
    holders = text_of(client.get(f"/people/?job_title={title.id}&status=all"))
    assert "2 people" in holders


def test_the_list_stays_in_the_property_and_a_group_admin_switches(client, db, login_as, app):
    hr = login_as("hr")
    spa = factories.property_("SPX", name_en="Lotus Test Spa")
    add(factories.department(spa, "HK"), en="Spa attendant", zh="水疗服务员")
    db.session.commit()
    asked = text_of(client.get(f"/people/job-titles?property={spa.id}"))
    assert "Spa attendant" not in asked and hr.property.name_en in asked
    assert "Spa attendant" not in text_of(client.get("/people/?job_title=1&q=x"))
    admin = factories.person("admin", dept="HR")
    db.session.commit()
    other = app.test_client()
    assert other.sign_in(admin.username, factories.PASSWORD).status_code == 303
    assert "Spa attendant" in text_of(other.get(f"/people/job-titles?property={spa.id}"))


def test_managers_read_the_list_and_change_nothing(client, db, login_as):
    manager = login_as("manager")
    add(factories.department(manager.property, "HK"))
    db.session.commit()
    page = client.get("/people/job-titles")
    assert "Room attendant" in text_of(page)
    assert "Add a job title" not in text_of(page) and "Retire" not in text_of(page)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title_en": "", "title_zh": ""}, "title_zh", "in Chinese, in English, or both."),
        ({"title_en": "x" * 121}, "title_en", "Field cannot be longer than 120 characters."),
        ({"title_zh": "客房\u200b服务员"}, "title_zh", "Remove the invisible characters"),
        ({"grade": "chef"}, "grade", "Not a valid choice."),
        ({"department_id": "999999"}, "department_id", "Not a valid choice."),
        ({"title_en": "room attendant"}, "title_en", "already has the job title"),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_written(
    client, db, login_as, changes, field, message
):
    hr = login_as("hr")
    hk = factories.department(hr.property, "HK")
    add(hk, by=hr)
    db.session.commit()
    before = counts(db)
    data = {
        "department_id": str(hk.id),
        "title_en": "Butler",
        "title_zh": "管家",
        "grade": "senior",
        "idempotency_key": "job-title-form-key-00001",
        **changes,
    }
    response = client.post_form("/people/job-titles/new", data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert message in text_of(response)
    assert counts(db) == before
    fragment = client.post_form("/people/job-titles/new", data, htmx=True)
    assert fragment.status_code == 200
    assert fragment.get_data(as_text=True).lstrip().startswith('<form id="job-title-form"')


def test_another_propertys_department_is_not_offered_to_hr(client, db, login_as):
    login_as("hr")
    spa = factories.property_("SPX")
    db.session.commit()
    response = client.get(f"/people/job-titles/new?department={factories.department(spa).id}")
    assert response.status_code == 404


def test_rename_through_the_page_is_audited_and_reads_well(client, db, login_as):
    hr = login_as("hr")
    title = add(factories.department(hr.property, "HK"), by=hr)
    db.session.commit()
    response = client.post_form(
        f"/people/job-titles/{title.id}/edit",
        {
            "title_en": "Guest room attendant",
            "title_zh": "客房服务员",
            "grade": "junior",
            "version": str(title.version),
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#department-{title.department_id}")
    trail = text_of(client.get("/audit/?object_type=job_titles"))
    assert "Job title changed" in trail
    assert "Job title in English: Room attendant → Guest room attendant" in trail
    assert "Job title added" in trail and "Department: Housekeeping" in trail


def test_a_stale_rename_is_refused(client, db, login_as):
    hr = login_as("hr")
    title = add(factories.department(hr.property, "HK"), by=hr)
    db.session.commit()
    stale = str(title.version)
    title.title_en = "Changed elsewhere"
    db.session.commit()
    response = client.post_form(
        f"/people/job-titles/{title.id}/edit",
        {"title_en": "Mine", "title_zh": "客房服务员", "grade": "junior", "version": stale},
    )
    assert response.status_code == 422
    assert "Someone else changed this job title" in text_of(response)
    db.session.refresh(title)
    assert title.title_en == "Changed elsewhere"


def test_removing_a_held_title_is_refused_on_the_page(client, db, login_as):
    hr = login_as("hr")
    title = add(factories.department(hr.property, "HK"), by=hr)
    factories.person("employee", job_title_id=title.id)
    title.assigned = True
    db.session.commit()
    page = text_of(client.get(f"/people/job-titles/{title.id}/delete"))
    assert "retire it instead" in page and "This cannot be undone." not in page
    forced = client.post_form(f"/people/job-titles/{title.id}/delete")
    assert forced.status_code == 303
    assert "retire it instead" in text_of(client.get(forced.headers["Location"]))
    assert db.session.get(JobTitle, title.id) is not None


# --- the migration ------------------------------------------------------------------------------
def test_the_migration_turns_grades_into_titles_of_each_department(tmp_path, monkeypatch):
    from flask_migrate import downgrade, upgrade

    from portal import create_app
    from portal.extensions import db as _db
    from tests.conftest import ROOT

    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    url = f"sqlite:///{tmp_path / 'titles.db'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    migrations = str(ROOT / "migrations")
    with app.app_context():
        upgrade(directory=migrations, revision="b3e9f7a2c5d4")
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO properties VALUES (1, 'H', 'Hotel', '酒店', 'hotel')"))
            for i, code in [(1, "HK"), (2, "FO")]:
                conn.execute(
                    text("INSERT INTO departments VALUES (:i, 1, :c, :c, :c, :i)"),
                    {"i": i, "c": code},
                )
            for i, dept, grade in [
                (1, 1, "junior"),
                (2, 1, "junior"),
                (3, 1, "senior"),
                (4, 2, "junior"),
                (5, None, "manager"),
            ]:
                conn.execute(
                    text(
                        "INSERT INTO users (id, property_id, department_id, staff_no, name_en, "
                        "name_zh, role, grade, active, failed_logins, created_at, version, "
                        "role_granted_at) VALUES (:i, 1, :d, :s, 'N', '', 'employee', :g, 1, 0, "
                        "'2026-01-01 00:00:00', 1, '2026-01-01 00:00:00')"
                    ),
                    {"i": i, "d": dept, "s": f"E{i}", "g": grade},
                )
        upgrade(directory=migrations, revision="c1d2e3f4a5b6")
        with engine.connect() as conn:
            titles = conn.execute(
                text(
                    "SELECT id, department_id, title_en, title_zh, grade, assigned FROM job_titles"
                )
            ).all()
            held = dict(conn.execute(text("SELECT id, job_title_id FROM users")).all())
        by_key = {(t.department_id, t.grade): t for t in titles}
        assert set(by_key) == {(1, "junior"), (1, "senior"), (2, "junior")}
        assert by_key[(1, "senior")].title_en == "Senior service specialist"
        assert by_key[(1, "senior")].title_zh == "高级服务专员"
        assert all(t.assigned for t in titles)
        assert held[1] == held[2] == by_key[(1, "junior")].id
        assert held[3] == by_key[(1, "senior")].id and held[4] == by_key[(2, "junior")].id
        assert held[5] is None  # no department, no title
        downgrade(directory=migrations, revision="b3e9f7a2c5d4")
        with engine.connect() as conn:
            grades = conn.execute(text("SELECT grade FROM users ORDER BY id")).scalars().all()
        assert grades == ["junior", "junior", "senior", "junior", "manager"]
        engine.dispose()
        _db.engine.dispose()


def test_a_titles_audit_rows_read_in_chinese(client, db, login_as):
    hr = login_as("hr", locale="zh_Hans")
    add(factories.department(hr.property, "HK"), by=hr)
    db.session.commit()
    trail = text_of(client.get("/audit/?object_type=job_titles"))
    assert "已添加职位" in trail and "部门: 客房部" in trail and "职级: 初级服务专员" in trail
    assert audit.verify(None).first_bad_id is None
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
