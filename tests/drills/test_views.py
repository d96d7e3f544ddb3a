"""Drill pages: bad input (message next to the field, 422, nothing written), the roll-call tap
as a fragment and as a plain post, double taps, ids out of range, query counts."""

from datetime import timedelta

from sqlalchemy import func, select

from portal.blueprints.drills.models import Drill, DrillStatus, Plan, RollCall
from portal.i18n import local_today
from tests import factories
from tests.conftest import text_of
from tests.drills import helpers


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_plan_with_bad_fields_is_refused_next_to_them(client, db, login_as):
    login_as("manager", dept="FO")
    form = {
        "code": "",
        "kind": "meteor",
        "every_months": "5",
        "target": "200:00",
        "idempotency_key": "bad-plan-key-0000000001",
        **helpers.texts(rescue_zh=""),
    }
    response = client.post_form("/drills/plans/new", form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("code", "kind", "every_months", "target"):
        assert f'id="{field}-error"' in html, field
    assert count(db, Plan) == 0
    # the fields right, but a language missing and no shift: each said where it belongs
    form.update(code="FIRE-01", kind="fire", every_months="3", target="5")
    response = client.post_form("/drills/plans/new", form)
    assert response.status_code == 422
    assert 'id="rescue_zh-error"' in response.get_data(as_text=True)
    assert "Write this in Chinese as well." in text_of(response)
    assert count(db, Plan) == 0


def test_a_double_submitted_plan_is_made_once(client, db, login_as):
    login_as("manager", dept="FO")
    form = {
        "code": "FIRE-01",
        "kind": "fire",
        "every_months": "3",
        "shifts": ["night"],
        "idempotency_key": "plan-twice-key-000000001",
        **helpers.texts(),
    }
    first = client.post_form("/drills/plans/new", form)
    second = client.post_form("/drills/plans/new", form)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count(db, Plan) == 1


def test_a_drill_in_the_past_or_on_a_shift_the_plan_does_not_drill_is_refused(client, db, login_as):
    keeper = login_as("manager", dept="FO")
    plan = helpers.plan(keeper.property, by=keeper, shifts=["night"])
    db.session.commit()
    form = {
        "plan_id": str(plan.id),
        "shift": "morning",
        "planned_on": local_today().isoformat(),
        "idempotency_key": "drill-bad-shift-00000001",
    }
    response = client.post_form("/drills/new", form)
    assert response.status_code == 422
    assert 'id="shift-error"' in response.get_data(as_text=True)
    form.update(shift="night", planned_on=(local_today() - timedelta(days=1)).isoformat())
    form["idempotency_key"] = "drill-bad-day-0000000001"
    response = client.post_form("/drills/new", form)
    assert response.status_code == 422
    assert "Choose today or a later day." in text_of(response)
    form.update(plan_id="9223372036854775808", planned_on=local_today().isoformat())
    form["idempotency_key"] = "drill-bad-plan-000000001"
    response = client.post_form("/drills/new", form)
    assert response.status_code == 422
    assert count(db, Drill) == 0


def test_ids_out_of_range_name_nothing(client, db, login_as):
    login_as("manager", dept="FO")
    for path in ("/drills/9223372036854775808", "/drills/plans/9223372036854775808"):
        assert client.get(path).status_code == 404
    drill = helpers.running(factories.property_())
    db.session.commit()
    response = client.post_form(f"/drills/{drill.id}/roll/9223372036854775808", {"accounted": "1"})
    assert response.status_code == 404


def test_the_alarm_tapped_twice_keeps_the_first_time(client, db, login_as):
    keeper = login_as("manager", dept="FO")
    drill = helpers.drill(keeper.property, by=keeper)
    db.session.commit()
    assert client.post_form(f"/drills/{drill.id}/start").status_code == 303
    db.session.expire_all()
    first = db.session.get(Drill, drill.id).alarm_at
    again = client.post_form(f"/drills/{drill.id}/start")
    assert again.status_code == 303
    db.session.expire_all()
    assert db.session.get(Drill, drill.id).alarm_at == first
    page = client.get(f"/drills/{drill.id}")
    html = page.get_data(as_text=True)
    assert "data-timer-since" in html and "All clear: everyone is out" in html


def test_a_roll_call_tap_swaps_the_row_and_the_count(client, db, login_as):
    keeper = login_as("manager", dept="FO")
    person = factories.person(prop=keeper.property, name_en="Lan Tap")
    drill = helpers.running(keeper.property, by=keeper)
    db.session.commit()
    url = f"/drills/{drill.id}/roll/{person.id}"
    response = client.post_form(url, {"accounted": "1"}, htmx=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="person-{person.id}"' in html and "Accounted for" in html
    assert 'id="roll-count"' in html and 'hx-swap-oob="true"' in html
    assert "<html" not in html
    assert "1 of" in text_of(response)
    # a double tap writes one row; "undo" is a second row
    client.post_form(url, {"accounted": "1"}, htmx=True)
    assert count(db, RollCall) == 1
    client.post_form(url, {"accounted": "0"}, htmx=True)
    assert db.session.scalars(select(RollCall.accounted).order_by(RollCall.id)).all() == [
        True,
        False,
    ]


def test_a_roll_call_tap_without_javascript_comes_back_to_the_row(client, db, login_as):
    keeper = login_as("manager", dept="FO")
    person = factories.person(prop=keeper.property)
    drill = helpers.running(keeper.property, by=keeper)
    db.session.commit()
    response = client.post_form(f"/drills/{drill.id}/roll/{person.id}", {"accounted": "1"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/drills/{drill.id}#person-{person.id}"
    bad = client.post_form(f"/drills/{drill.id}/roll/{person.id}", {"accounted": "maybe"})
    assert bad.status_code == 409 and "Reload the page and try again." in text_of(bad)
    assert count(db, RollCall) == 1


def test_a_roll_call_tap_on_a_closed_record_is_refused_and_says_so(client, db, login_as):
    keeper = login_as("manager", dept="FO")
    person = factories.person(prop=keeper.property)
    drill = helpers.closed(keeper.property, by=keeper)
    db.session.commit()
    response = client.post_form(
        f"/drills/{drill.id}/roll/{person.id}", {"accounted": "1"}, htmx=True
    )
    assert response.status_code == 200
    assert "can no longer change" in text_of(response)
    assert count(db, RollCall) == 0


def test_a_record_with_bad_counts_is_refused_next_to_the_field(client, db, login_as):
    keeper = login_as("manager", dept="FO")
    drill = helpers.ended(keeper.property, by=keeper)
    db.session.commit()
    form = {k: "" if v is None else str(v) for k, v in helpers.COMPLETE.items()}
    form.update(evacuated_count="99", guest_count="-1", alarm_audible="perhaps")
    response = client.post_form(f"/drills/{drill.id}/record", form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="guest_count-error"' in html and 'id="alarm_audible-error"' in html
    form.update(guest_count="30", alarm_audible="yes")
    response = client.post_form(f"/drills/{drill.id}/record", form)
    assert response.status_code == 422
    assert 'id="evacuated_count-error"' in response.get_data(as_text=True)
    assert "More people evacuated than were present (53)" in text_of(response)
    db.session.expire_all()
    assert db.session.get(Drill, drill.id).evacuated_count == 0


def test_closing_an_incomplete_record_marks_each_missing_field(client, db, login_as):
    keeper = login_as("manager", dept="FO")
    drill = helpers.ended(keeper.property, by=keeper)
    db.session.commit()
    response = client.post_form(f"/drills/{drill.id}/close")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("alert_method", "exits_used", "weather", "problems", "evacuated_count"):
        assert f'id="{field}-error"' in html, field
    db.session.expire_all()
    assert db.session.get(Drill, drill.id).status == DrillStatus.ENDED


def test_a_closed_drill_shows_its_record_and_the_evacuation_time(client, db, login_as):
    keeper = login_as("manager", dept="FO")
    drill = helpers.closed(keeper.property, by=keeper)
    db.session.commit()
    response = client.get(f"/drills/{drill.id}")
    page = text_of(response)
    assert "4 min 00 s" in page and "Within the target of 5 min 00 s" in page
    html = response.get_data(as_text=True)
    for lang in ("both", "zh", "en"):  # the report's three prints
        assert f'href="/drills/{drill.id}/report.pdf?lang={lang}"' in html, lang
    assert "Smoke in the east stair" in page and "Save record" not in page
