"""Periodic review of an SOP in force: "reviewed, still valid" without a new version.

The version's review date is the one the lists of reviews due read (reading.overdue_reviews,
the home card); each review is kept as a row of its own, shown in the SOP's history."""

import re
from datetime import timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, select

from portal import audit, create_app
from portal.audit import AuditEvent
from portal.blueprints.sops import reading, services
from portal.blueprints.sops.models import SopReview
from portal.errors import DomainError
from portal.extensions import db as _db
from portal.i18n import local_today
from tests import factories
from tests.conftest import ROOT, text_of, visible_text


def overdue_sop(prop=None, days=10, **kw):
    """HK-001 in force, its review due `days` ago (as after a year in force)."""
    version = factories.sop(prop=prop, **kw)
    version.review_date = local_today() - timedelta(days=days)
    _db.session.flush()
    return version


def reviews(db) -> list[SopReview]:
    return list(db.session.scalars(select(SopReview).order_by(SopReview.id)))


def audited(db, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def review_post(version, days=365, **extra) -> dict:
    return {
        "next_review": (local_today() + timedelta(days=days)).isoformat(),
        "was_due": version.review_date.isoformat(),
        "idempotency_key": extra.pop("idempotency_key", "review-key-0000000001"),
        **extra,
    }


# --- the operation ------------------------------------------------------------------------
@pytest.fixture
def hotel(ctx, db):
    prop = factories.property_()
    return {
        "prop": prop,
        "hr": factories.person("hr", prop=prop, dept="HR"),
        "manager": factories.person("manager", prop=prop, dept="FO", name_en="Michael Tang"),
    }


def test_a_review_moves_the_review_date_and_keeps_a_record(hotel):
    version = overdue_sop(prop=hotel["prop"], author=hotel["hr"])
    was_due = version.review_date
    assert [v.id for v in reading.overdue_reviews(hotel["prop"].id)] == [version.id]
    steps = [(s.text_en, s.text_zh) for s in version.steps]
    lock = version.lock_version
    next_review = local_today() + timedelta(days=365)
    review = services.record_review(
        version, by=hotel["manager"], next_review=next_review, was_due=was_due, note="Checked"
    )
    assert (review.was_due, review.next_review, review.note) == (was_due, next_review, "Checked")
    assert review.reviewed_by_id == hotel["manager"].id and review.reviewed_at is not None
    # The one date the lists read has moved on: the SOP is no longer overdue, nothing else moved.
    assert version.review_date == next_review
    assert reading.overdue_reviews(hotel["prop"].id) == []
    assert [(s.text_en, s.text_zh) for s in version.steps] == steps
    assert version.number == "1.0" and version.lock_version == lock + 1  # a new printed copy
    (event,) = audited(_db, "sop.reviewed")
    assert event.actor_id == hotel["manager"].id
    assert (event.object_type, event.object_id) == ("sops", version.sop_id)
    assert event.summary == (
        f"HK-001 1.0 reviewed, still valid; next review {next_review.isoformat()} "
        f"(was due {was_due.isoformat()}); note: Checked"
    )


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (0, "The next review must be after today."),
        (-30, "The next review must be after today."),
        (5 * 365 + 2, "Choose a date within five years"),
    ],
)
def test_the_next_review_is_after_today_and_within_five_years(hotel, days, message):
    version = overdue_sop(prop=hotel["prop"], author=hotel["hr"])
    was_due = version.review_date
    with pytest.raises(DomainError, match=message) as refused:
        services.record_review(
            version,
            by=hotel["manager"],
            next_review=local_today() + timedelta(days=days),
            was_due=was_due,
        )
    assert refused.value.field == "next_review"
    assert version.review_date == was_due and reviews(_db) == []


def test_only_the_version_in_force_is_reviewed(hotel):
    draft = factories.sop(number="HK-002", prop=hotel["prop"], author=hotel["hr"], effective=False)
    with pytest.raises(DomainError, match="Only the version in force can be reviewed"):
        services.record_review(
            draft, by=hotel["manager"], next_review=local_today() + timedelta(days=9), was_due=None
        )
    assert reviews(_db) == []


def test_a_review_someone_recorded_meanwhile_is_not_recorded_twice(hotel):
    version = overdue_sop(prop=hotel["prop"], author=hotel["hr"])
    was_due = version.review_date
    first = local_today() + timedelta(days=365)
    services.record_review(version, by=hotel["manager"], next_review=first, was_due=was_due)
    other = factories.person("manager", prop=hotel["prop"], dept="FO")
    with pytest.raises(DomainError, match="Michael Tang has already recorded this review"):
        services.record_review(
            version, by=other, next_review=first + timedelta(days=5), was_due=was_due
        )
    assert len(reviews(_db)) == 1 and version.review_date == first


# --- the page -----------------------------------------------------------------------------
def test_an_overdue_sop_says_so_at_the_top_and_a_manager_records_the_review(client, db, login_as):
    manager = login_as("manager", name_en="Michael Tang")
    version = overdue_sop(prop=manager.property, days=3)
    db.session.commit()
    due = version.review_date
    home = text_of(client.get("/"))
    assert f"Review HK-001 {version.title_en}" in home  # the home card lists it
    page = client.get(f"/sops/versions/{version.id}").get_data(as_text=True)
    banner = page.index("Review overdue: this SOP was due for review on")
    assert banner < page.index("Purpose")  # at the top, above the document
    assert banner < page.index('class="portal-actions portal-sop-actions"')
    assert f"was due for review on {due.day} {due.strftime('%b %Y')}" in visible_text(page)
    default = (local_today().replace(year=local_today().year + 1)).isoformat()
    assert re.search(rf'<input[^>]*id="next_review"[^>]*type="date" value="{default}"', page)

    response = client.post_form(f"/sops/versions/{version.id}/review", review_post(version))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/sops/versions/{version.id}"
    shown = text_of(client.get(response.headers["Location"]))
    assert "Review recorded: HK-001 version 1.0 stays in force" in shown
    assert "Review overdue" not in shown
    # The history says who reviewed it, when, and the dates.
    assert "Periodic reviews" in shown and "Version 1.0 reviewed, still valid" in shown
    assert "by Michael Tang on" in shown
    assert f"was due {due.day} {due.strftime('%b %Y')}" in shown
    assert f"Review HK-001 {version.title_en}" not in text_of(client.get("/"))  # the card too
    (review,) = reviews(db)
    assert review.reviewed_by_id == manager.id


def test_a_double_tap_records_one_review(client, db, login_as):
    manager = login_as("manager")
    version = overdue_sop(prop=manager.property)
    db.session.commit()
    form = review_post(version)
    first = client.post_form(f"/sops/versions/{version.id}/review", form)
    second = client.post_form(f"/sops/versions/{version.id}/review", form)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert len(reviews(db)) == 1 and len(audited(db, "sop.reviewed")) == 1
    # Another tab of the same page (another key, the same due date): told, nothing twice.
    again = client.post_form(
        f"/sops/versions/{version.id}/review",
        {**form, "idempotency_key": "review-key-0000000002"},
    )
    assert again.status_code == 422
    assert "has already recorded this review" in text_of(again)
    assert len(reviews(db)) == 1


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"next_review": ""}, "Choose the date of the next review."),
        ({"next_review": "2026-02-31"}, "Choose the date of the next review."),
        ({"next_review": "yesterday"}, "Choose the date of the next review."),
        ({"note": "x" * 501}, "Field cannot be longer than 500 characters."),
    ],
)
def test_bad_review_input_is_refused_next_to_the_field(client, db, login_as, override, message):
    manager = login_as("manager")
    version = overdue_sop(prop=manager.property)
    db.session.commit()
    due = version.review_date
    response = client.post_form(
        f"/sops/versions/{version.id}/review", {**review_post(version), **override}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    field = next(iter(override))
    assert f'id="{field}-error"' in html and message in text_of(response)
    assert f'data-focus="{field}"' in html
    db.session.expire_all()
    assert reviews(db) == [] and version.review_date == due


def test_a_date_not_after_today_is_refused_on_the_page(client, db, login_as):
    manager = login_as("manager")
    version = overdue_sop(prop=manager.property)
    db.session.commit()
    response = client.post_form(f"/sops/versions/{version.id}/review", review_post(version, days=0))
    assert response.status_code == 422
    assert 'id="next_review-error"' in response.get_data(as_text=True)
    assert "The next review must be after today." in text_of(response)
    assert reviews(db) == []


def test_a_review_without_its_csrf_token_is_refused(client, db, login_as):
    manager = login_as("manager")
    version = overdue_sop(prop=manager.property)
    db.session.commit()
    response = client.post(f"/sops/versions/{version.id}/review", data=review_post(version))
    assert response.status_code in (400, 422)
    assert reviews(db) == []


def test_the_author_of_the_version_is_told_another_manager_reviews_it(client, db, login_as):
    manager = login_as("manager")
    version = overdue_sop(prop=manager.property, author=manager)
    db.session.commit()
    page = text_of(client.get(f"/sops/versions/{version.id}"))
    assert "Review overdue" in page
    assert "You wrote this version: another manager records its review." in page
    assert "Reviewed, still valid" not in page  # no button
    refused = client.post_form(f"/sops/versions/{version.id}/review", review_post(version))
    assert refused.status_code == 403
    assert reviews(db) == []


def test_staff_do_not_see_the_review_banner(client, db, login_as):
    employee = login_as("employee", dept="HK")
    version = overdue_sop(prop=employee.property)
    db.session.commit()
    page = text_of(client.get(f"/sops/{version.sop_id}"))
    assert "Guest-room cleaning" in page and "Review overdue" not in page


@pytest.mark.parametrize("version_id", ["999999", str(2**31), str(2**63), str(2**64)])
def test_a_review_of_a_guessed_or_impossible_version_is_not_found(client, db, login_as, version_id):
    login_as("manager")
    response = client.post_form(
        f"/sops/versions/{version_id}/review",
        {"next_review": "2030-01-01", "idempotency_key": "review-key-0000000009"},
    )
    assert response.status_code == 404
    assert reviews(db) == []


def test_the_audit_trail_names_the_review_and_the_settings_change(app, ctx):
    assert audit.action_label("sop.reviewed") == "SOP reviewed, still valid"
    assert audit.action_label("sop.settings_changed") == "SOP library settings changed"
    assert audit.object_label("sop_settings") == "SOP library settings"
    event = AuditEvent(
        action="sop.reviewed",
        summary="HK-001 1.0 reviewed, still valid; next review 2027-12-02 (was due 2026-11-28)",
    )
    (detail,) = audit.details(event)
    assert detail.value == (
        "HK-001 version 1.0 reviewed, still valid; next review 2027-12-02 (was due 2026-11-28)"
    )


# --- two at once ---------------------------------------------------------------------------
def _overdue_for_two_managers(app):
    """An overdue SOP and two managers signed in, committed (the requests run in threads)."""
    with app.app_context():
        prop = factories.property_()
        first, second = (factories.person("manager", prop=prop, dept="FO") for _ in range(2))
        version = overdue_sop(prop=prop)
        _db.session.commit()
        next_review = local_today() + timedelta(days=365)
        ids = version.id, version.review_date, next_review, first.username, second.username
        _db.session.remove()
    return ids


def _signed_in(app, username):
    client = app.test_client()
    assert client.sign_in(username, factories.PASSWORD).status_code == 303
    return client


@pytest.mark.parametrize("same_key", [True, False], ids=["double tap", "two managers"])
def test_two_reviews_at_once_record_one(app, committed_db, same_key):
    from tests.test_concurrency import run_together

    version_id, due, next_review, first, second = _overdue_for_two_managers(app)
    clients = [_signed_in(app, first), _signed_in(app, first if same_key else second)]
    form = {
        "next_review": next_review.isoformat(),
        "was_due": due.isoformat(),
    }
    statuses = []

    def press(i):
        key = "review-at-once-00000" + ("0" if same_key else str(i))
        data = {**form, "idempotency_key": key}
        statuses.append(
            clients[i].post_form(f"/sops/versions/{version_id}/review", data).status_code
        )

    run_together(press, n=2)
    with app.app_context():
        assert len(reviews(_db)) == 1
        assert len(audited(_db, "sop.reviewed")) == 1
        assert audit.verify().first_bad_id is None
        _db.session.remove()
    assert sorted(statuses) == ([303, 303] if same_key else [303, 422])


# --- the migration --------------------------------------------------------------------------
def test_the_review_table_comes_and_goes_with_its_migration(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    url = f"sqlite:///{tmp_path / 'reviews.db'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="d7e8f9a0b1c2")
        engine = create_engine(url)
        assert "sop_reviews" not in inspect(engine).get_table_names()
        upgrade(directory=str(ROOT / "migrations"), revision="e5f6a7b8c9d0")
        columns = {c["name"]: c for c in inspect(engine).get_columns("sop_reviews")}
        assert set(columns) == {
            "id",
            "version_id",
            "reviewed_by_id",
            "reviewed_at",
            "was_due",
            "next_review",
            "note",
        }
        assert columns["was_due"]["nullable"] and not columns["next_review"]["nullable"]
        keys = {fk["referred_table"] for fk in inspect(engine).get_foreign_keys("sop_reviews")}
        assert keys == {"sop_versions", "users"}
        downgrade(directory=str(ROOT / "migrations"), revision="d7e8f9a0b1c2")
        assert "sop_reviews" not in inspect(engine).get_table_names()
        assert "sop_versions" in inspect(engine).get_table_names()
        engine.dispose()
        _db.engine.dispose()
