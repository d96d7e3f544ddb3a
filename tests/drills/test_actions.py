"""Corrective actions: added after the all-clear with an owner of the property and a due day;
done by the owner with a note, verified by someone else of security; each step once; the list,
the drill's page and the home cards show what is open and overdue."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.blueprints.drills import actions
from portal.blueprints.drills.models import ActionStatus, CorrectiveAction
from portal.errors import DomainError, FieldErrors
from portal.i18n import local_today
from tests import factories
from tests.conftest import text_of
from tests.drills import helpers


def count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(CorrectiveAction))


def test_an_action_needs_what_who_and_when(db, ctx):
    prop = factories.property_()
    keeper = helpers.keeper(prop)
    drill = helpers.ended(prop, by=keeper)
    stranger = factories.person(prop=factories.property_("SPX"))
    with pytest.raises(FieldErrors) as error:
        actions.add(drill, "", stranger, local_today() - timedelta(days=1), by=keeper)
    assert set(error.value.errors) == {"description", "owner_id", "due_on"}
    with pytest.raises(FieldErrors) as error:
        actions.add(drill, "Fix the sounder", None, None, by=keeper)
    assert set(error.value.errors) == {"owner_id", "due_on"}
    with pytest.raises(DomainError, match="after the all-clear"):
        actions.add(helpers.running(prop, by=keeper), "x", keeper, local_today(), by=keeper)
    assert count(db) == 0


def test_an_action_is_done_by_its_owner_and_verified_by_someone_else(db, ctx):
    prop = factories.property_()
    keeper, other = helpers.keeper(prop), helpers.keeper(prop)
    owner = factories.person(prop=prop, dept="FO")
    action = actions.add(
        helpers.ended(prop, by=keeper), "Fix the sounder", owner, local_today(), by=keeper
    )
    with pytest.raises(DomainError, match="once it is done"):
        actions.verify(action, by=other)
    with pytest.raises(DomainError) as error:
        actions.mark_done(action, "", by=owner)
    assert error.value.field == "done_note"
    assert actions.mark_done(action, "Second sounder fitted", by=owner) is True
    assert actions.mark_done(action, "again", by=owner) is False  # a double tap
    assert action.done_note == "Second sounder fitted"
    with pytest.raises(DomainError, match="Someone other than who did it"):
        actions.verify(action, by=owner)
    assert actions.verify(action, by=other) is True
    assert actions.verify(action, by=other) is False
    assert action.status == ActionStatus.VERIFIED and action.verified_by_id == other.id


def test_overdue_and_open_actions_are_listed_first(db, ctx):
    prop = factories.property_()
    keeper = helpers.keeper(prop)
    owner = factories.person(prop=prop)
    drill = helpers.ended(prop, by=keeper)
    later = actions.add(drill, "Later", owner, local_today() + timedelta(days=9), by=keeper)
    soon = actions.add(drill, "Soon", owner, local_today(), by=keeper)
    done = actions.add(drill, "Done", owner, local_today(), by=keeper)
    actions.mark_done(done, "ok", by=owner)
    soon.due_on = local_today() - timedelta(days=3)  # now overdue
    db.session.flush()
    rows = db.session.scalars(actions.listed(prop.id, keeper, "open")).all()
    assert [a.id for a in rows] == [soon.id, later.id, done.id]
    assert rows[0].overdue(local_today()) and not rows[1].overdue(local_today())
    assert [a.id for a in db.session.scalars(actions.listed(prop.id, owner, "mine"))] == [
        soon.id,
        later.id,
        done.id,
    ]
    assert (
        db.session.scalars(actions.listed(factories.property_("SPX").id, keeper, "all")).all() == []
    )


def test_bad_action_fields_are_refused_next_to_them(client, db, login_as):
    keeper = login_as("manager", dept="FO")
    drill = helpers.ended(keeper.property, by=keeper)
    db.session.commit()
    response = client.post_form(
        f"/drills/{drill.id}/actions",
        {
            "description": "",
            "owner_id": "9223372036854775808",
            "due_on": "2020-13-40",
            "idempotency_key": "action-bad-fields-000001",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("description", "owner_id", "due_on"):
        assert f'id="{field}-error"' in html, field
    assert count(db) == 0


def test_an_action_posted_twice_is_added_once(client, db, login_as):
    keeper = login_as("manager", dept="FO")
    owner = factories.person(prop=keeper.property, name_en="Eng Owner")
    drill = helpers.ended(keeper.property, by=keeper)
    db.session.commit()
    form = {
        "description": "Fit a second sounder",
        "owner_id": str(owner.id),
        "due_on": (local_today() + timedelta(days=7)).isoformat(),
        "idempotency_key": "action-twice-key-0000001",
    }
    first = client.post_form(f"/drills/{drill.id}/actions", form)
    second = client.post_form(f"/drills/{drill.id}/actions", form)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count(db) == 1
    page = text_of(client.get(f"/drills/{drill.id}"))
    assert "Fit a second sounder" in page and "Owner: Eng Owner" in page


def test_the_owner_marks_done_from_the_drill_page_without_javascript(client, db, login_as, app):
    owner = login_as("employee")
    keeper = helpers.keeper(owner.property)
    with app.test_request_context():
        action = actions.add(
            helpers.ended(owner.property, by=keeper), "Tidy the fire exit", owner,
            local_today(), by=keeper,
        )  # fmt: skip
        action.due_on = local_today() - timedelta(days=1)  # overdue since yesterday
    db.session.commit()
    page = client.get("/")
    assert "My corrective actions" in text_of(page)
    empty = client.post_form(f"/drills/actions/{action.id}/done", {"done_note": ""})
    assert empty.status_code == 422
    assert f'id="done-note-{action.id}-error"' in empty.get_data(as_text=True)
    done = client.post_form(f"/drills/actions/{action.id}/done", {"done_note": "Boxes moved"})
    assert done.status_code == 303
    assert done.headers["Location"].endswith(f"#action-{action.id}")
    db.session.expire_all()
    assert db.session.get(CorrectiveAction, action.id).status == ActionStatus.DONE
    # the owner cannot verify their own work, nor see the property's whole list
    assert client.post_form(f"/drills/actions/{action.id}/verify").status_code == 403
    mine = text_of(client.get("/drills/actions?show=all"))
    assert "Tidy the fire exit" in mine and "Not verified yet" not in mine
