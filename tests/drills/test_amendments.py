"""Amendments of a closed drill record: one new row per field corrected, with who, when and
why; the drill row keeps what was closed; the page and the report show the record as amended
and every amendment; bad input, an open record and a stale form write nothing."""

import pytest
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.blueprints.drills import amendments
from portal.blueprints.drills.models import Amendment, Drill
from portal.errors import DomainError, FieldErrors
from tests import factories
from tests.conftest import text_of
from tests.drills import helpers
from tests.drills.test_documents import printed


def count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Amendment))


def values(**changes) -> dict:
    return {**helpers.COMPLETE, **changes}


@pytest.fixture
def closed(ctx):
    prop = factories.property_()
    keeper = helpers.keeper(prop)
    return helpers.closed(prop, by=keeper), keeper


def open_record(drill, keeper):
    return helpers.recorded(keeper.property, by=keeper)


def test_an_amendment_adds_a_row_per_field_and_keeps_the_closed_values(db, closed):
    drill, keeper = closed
    rows = amendments.amend(
        drill,
        values(guest_count=31, evacuated_count=54),
        "Gate list",
        by=keeper,
        expected_version=drill.version,
    )
    assert [(r.field, r.before, r.after) for r in rows] == [
        ("guest_count", 30, 31),
        ("evacuated_count", 53, 54),
    ]
    assert all(r.reason == "Gate list" and r.by_id == keeper.id for r in rows)
    db.session.expire_all()
    kept = db.session.get(Drill, drill.id)
    assert kept.guest_count == 30 and kept.evacuated_count == 53  # as closed
    now = amendments.record_values(kept)
    assert now["guest_count"] == 31 and now["evacuated_count"] == 54
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "drills.record_amended")
    )
    assert "guest_count: 30 -> 31" in event.summary and "Gate list" in event.summary
    # a second amendment starts from the first
    (row,) = amendments.amend(
        kept,
        values(guest_count=32, evacuated_count=54),
        "Recounted",
        by=keeper,
        expected_version=kept.version,
    )
    assert (row.before, row.after) == (31, 32)


@pytest.mark.parametrize(
    ("changes", "reason", "field"),
    [
        ({}, "No reason to change", "reason"),  # nothing differs
        ({"weather": "Rain"}, "  ", "reason"),
        ({"evacuated_count": 500}, "Recount", "evacuated_count"),
        ({"staff_taking_part": 40}, "Recount", "staff_taking_part"),
        ({"weather": ""}, "Cleared by mistake", "weather"),
        ({"alarm_audible": None}, "Unsure", "alarm_audible"),
        ({"evacuated_count": 0}, "Recount", "evacuated_count"),
    ],
)
def test_a_bad_amendment_is_refused_on_its_field_and_writes_nothing(
    db, closed, changes, reason, field
):
    drill, keeper = closed
    with pytest.raises(DomainError) as refused:
        amendments.amend(
            drill, values(**changes), reason, by=keeper, expected_version=drill.version
        )
    fields = refused.value.errors if isinstance(refused.value, FieldErrors) else {}
    assert field in fields or refused.value.field == field
    assert count(db) == 0


def test_an_open_record_and_a_stale_form_are_not_amended(db, closed):
    drill, keeper = closed
    ended = open_record(drill, keeper)
    with pytest.raises(DomainError, match="Only a closed record"):
        amendments.amend(ended, values(weather="Rain"), "Why", by=keeper, expected_version=None)
    amendments.amend(
        drill, values(weather="Rain"), "Log", by=keeper, expected_version=drill.version
    )
    with pytest.raises(DomainError, match="Someone else amended"):
        amendments.amend(
            drill, values(weather="Snow"), "Log", by=keeper, expected_version=drill.version - 1
        )
    assert count(db) == 1


def form_of(drill, **changes) -> dict:
    data = {k: "" if v is None else str(v) for k, v in helpers.COMPLETE.items()}
    data.update(alarm_audible="yes", version=str(drill.version))
    data.update(changes)
    return data


def test_the_page_amends_shows_and_prints_the_record_as_amended(client, db, login_as):
    keeper = login_as("manager", dept="FO")
    drill = helpers.closed(keeper.property, by=keeper)
    db.session.commit()
    page = client.get(f"/drills/{drill.id}")
    assert f'href="/drills/{drill.id}/amend"' in page.get_data(as_text=True)
    # no reason, and more evacuated than present: each said next to its field, nothing written
    response = client.post_form(
        f"/drills/{drill.id}/amend", form_of(drill, reason="", evacuated_count="60")
    )
    assert response.status_code == 422
    assert 'id="reason-error"' in response.get_data(as_text=True)
    response = client.post_form(
        f"/drills/{drill.id}/amend", form_of(drill, reason="Recount", evacuated_count="60")
    )
    assert response.status_code == 422
    assert "More people evacuated than were present (53)" in text_of(response)
    assert count(db) == 0
    response = client.post_form(
        f"/drills/{drill.id}/amend",
        form_of(drill, reason="Gate list", guest_count="31", evacuated_count="54"),
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/drills/{drill.id}#amendments"
    shown = text_of(client.get(f"/drills/{drill.id}"))
    assert "guests 31" in shown and "People evacuated 54 amended" in shown
    assert "Guests 30 → 31" in shown and "Gate list" in shown
    # the form opens on the record as amended
    form = client.get(f"/drills/{drill.id}/amend").get_data(as_text=True)
    assert 'name="guest_count" type="number" value="31"' in form or 'value="31"' in form
    report = printed(client, f"/drills/{drill.id}/report.pdf?lang=en")
    assert "Amendments" in report and "Gate list" in report
    chinese = printed(client, f"/drills/{drill.id}/report.pdf?lang=zh")
    assert "更正记录" in chinese and "Gate list" in chinese


def test_an_open_record_has_no_amendment_page(client, db, login_as):
    keeper = login_as("manager", dept="FO")
    drill = helpers.recorded(keeper.property, by=keeper)
    db.session.commit()
    assert client.get(f"/drills/{drill.id}/amend").status_code == 403
    assert client.get(f"/drills/{2**63}/amend").status_code == 404
