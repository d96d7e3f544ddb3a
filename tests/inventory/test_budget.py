"""Cost control: a department's spend is what the stores issued to it less what came back, by
the property's calendar months, in Decimal; the 90% line; budgets set by a manager; the page,
its chart and its bad input."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from sqlalchemy import select, update

from portal.blueprints.inventory import budget, stock
from portal.blueprints.inventory.models import Budget, Movement
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import local_today
from tests import factories
from tests.conftest import text_of, visible_text
from tests.inventory import helpers as h

NOV, DEC = date(2026, 11, 1), date(2026, 12, 1)


@pytest.fixture
def w(db, ctx):
    """The main store: 100 bath towels at 2.50 and 50 litres of shampoo at 8.00."""
    prop = factories.property_()
    keeper = h.storekeeper(prop)
    main = h.store(prop, name_en="Main store")
    towel = h.item(prop, "Bath towel", unit_cost="2.50")
    shampoo = h.item(prop, "Shampoo", unit="litre", unit_cost="8.00", category="toiletries")
    h.stocked(main, towel, 100, by=keeper)
    h.stocked(main, shampoo, 50, by=keeper)
    db.session.commit()
    return SimpleNamespace(
        prop=prop,
        keeper=keeper,
        boss=h.manager(prop),
        main=main,
        towel=towel,
        shampoo=shampoo,
        hk=factories.department(prop, "HK"),
        fo=factories.department(prop, "FO"),
    )


def at(movement: Movement, when: datetime) -> None:
    db.session.execute(update(Movement).where(Movement.id == movement.id).values(at=when))


def test_spend_is_what_was_issued_less_what_came_back(w):
    issued = stock.issue(w.towel, w.main, Decimal(10), by=w.keeper, department=w.hk)  # 25.00
    stock.issue(w.shampoo, w.main, Decimal("2.5"), by=w.keeper, department=w.hk)  # 20.00
    stock.return_(w.towel, w.main, Decimal(2), by=w.keeper, department=w.hk)  # -5.00
    wrong = stock.issue(w.towel, w.main, Decimal(4), by=w.keeper, department=w.hk)
    stock.reverse(wrong, "Booked to the wrong department", by=w.keeper)  # cancels 10.00
    stock.issue(w.towel, w.main, Decimal(4), by=w.keeper, department=w.fo)  # 10.00, FO
    stock.loss(w.towel, w.main, Decimal(1), "damaged", by=w.keeper)  # the store's, nobody's
    db.session.commit()
    month = budget.first_of(issued.at.date())
    spent = budget.spend(w.prop.id, [month])
    assert spent[(w.hk.id, month)] == Decimal("40.00")
    assert spent[(w.fo.id, month)] == Decimal("10.00")
    assert len(spent) == 2


def test_months_are_the_propertys_calendar_months(w):
    """Asia/Shanghai is UTC+8: 30 Nov 16:30 UTC is already 1 December there."""
    late = stock.issue(w.towel, w.main, Decimal(4), by=w.keeper, department=w.hk)
    early = stock.issue(w.towel, w.main, Decimal(2), by=w.keeper, department=w.hk)
    at(late, datetime(2026, 11, 30, 15, 59, tzinfo=UTC))  # 23:59 on 30 Nov, local
    at(early, datetime(2026, 11, 30, 16, 0, tzinfo=UTC))  # 00:00 on 1 Dec, local
    db.session.commit()
    spent = budget.spend(w.prop.id, [NOV, DEC])
    assert spent == {(w.hk.id, NOV): Decimal("10.00"), (w.hk.id, DEC): Decimal("5.00")}


@pytest.mark.parametrize(
    ("spent", "planned", "state", "share"),
    [
        ("0", None, "none", None),
        ("90.00", "100", "within", 90),
        ("90.01", "100", "near", 90),
        ("100.00", "100", "near", 100),
        ("100.01", "100", "over", 100),
        ("5", "0", "over", None),
    ],
)
def test_the_90_percent_line(spent, planned, state, share):
    line = budget.Line(None, DEC, None if planned is None else Decimal(planned), Decimal(spent))
    assert (line.state, line.share) == (state, share)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (None, "Give the month's budget."),
        ("-1", "between 0 and 99,999,999"),
        ("100000000", "between 0 and 99,999,999"),
        ("10.005", "at most two decimals"),
        ("NaN", "between 0 and 99,999,999"),
    ],
)
def test_a_budget_that_cannot_be_is_refused(w, amount, message):
    before = h.count(Budget)
    with pytest.raises(DomainError) as caught:
        budget.set_budget(w.hk, DEC, None if amount is None else Decimal(amount), by=w.boss)
    assert message in caught.value.message and caught.value.field == "amount"
    assert h.count(Budget) == before


def test_a_budget_is_set_changed_and_audited(w):
    budget.set_budget(w.hk, date(2026, 12, 17), Decimal("800"), by=w.boss)  # any day: its month
    budget.set_budget(w.hk, DEC, Decimal("950.50"), by=w.boss)
    db.session.commit()
    (row,) = db.session.scalars(select(Budget))
    assert (row.month, row.amount, row.set_by_id) == (DEC, Decimal("950.50"), w.boss.id)
    events = h.events("inventory.budget_set")
    assert [e.summary for e in events] == [
        "HK 2026-12: None -> 800",
        "HK 2026-12: 800.00 -> 950.50",
    ]


def test_the_trend_has_twelve_months_and_a_chart(w):
    with time_machine.travel(datetime(2026, 12, 10, 4, tzinfo=UTC), tick=False):
        stock.issue(w.towel, w.main, Decimal(40), by=w.keeper, department=w.hk)  # 100.00
        budget.set_budget(w.hk, DEC, Decimal("105"), by=w.boss)
        budget.set_budget(w.fo, DEC, Decimal("50"), by=w.boss)
        db.session.commit()
        lines = budget.trend(budget.figures(w.prop.id, DEC), None)
        assert lines[0].month == date(2026, 1, 1) and len(lines) == 12
        assert (lines[-1].spent, lines[-1].budget, lines[-1].state) == (100, 155, "within")
        mine = budget.trend(budget.figures(w.prop.id, DEC), w.hk.id)
        assert (mine[-1].spent, mine[-1].budget, mine[-1].state) == (100, 105, "near")
        assert all(line.budget is None and line.spent == 0 for line in mine[:-1])
        chart = budget.chart(mine)
        assert len(chart.bars) == 12
        last = chart.bars[-1]
        assert last.budget_y < last.line_y < chart.bottom_y  # the budget above its 90% line
        assert last.y > last.budget_y  # spent (100) under the budget (105)
        assert (
            budget.chart(budget.trend(budget.figures(w.prop.id, DEC), w.fo.id)).bars[-1].height == 0
        )


# --- the page -----------------------------------------------------------------------------------
def test_the_page_shows_each_department_and_the_whole_property(client, db, login_as):
    boss = login_as("manager")
    prop = boss.property
    keeper = h.storekeeper(prop)
    main = h.store(prop, name_en="Main store")
    towel = h.item(prop, "Bath towel", unit_cost="2.50")
    h.stocked(main, towel, 100, by=keeper)
    hk = factories.department(prop, "HK")
    stock.issue(towel, main, Decimal(38), by=keeper, department=hk)  # 95.00
    month = budget.first_of(h.movements()[-1].at.date())
    budget.set_budget(hk, month, Decimal("100"), by=boss)
    db.session.commit()
    html = client.get(f"/inventory/budget?month={month:%Y-%m}").get_data(as_text=True)
    row = visible_text(re.search(rf'<tr id="budget-{hk.id}".*?</tr>', html, re.S).group(0))
    assert "Housekeeping" in row and "95.00" in row and "95%" in row
    assert "Near the budget (past 90%)" in row
    total = visible_text(re.search(r'<tr id="budget-total".*?</tr>', html, re.S).group(0))
    assert "The whole property" in total and "95.00" in total
    assert "<svg" in html and "The months as a table" in text_of(client.get("/inventory/budget"))


def test_a_manager_sets_a_budget_and_bad_input_is_said_in_its_row(client, db, login_as):
    boss = login_as("manager")
    hk = factories.department(boss.property, "HK")
    db.session.commit()
    url = f"/inventory/budget/{hk.id}?month=2026-11"
    bad = client.post_form(url, {"amount": "lots"})
    assert bad.status_code == 422
    row = re.search(rf'<tr id="budget-{hk.id}".*?</tr>', bad.get_data(as_text=True), re.S)
    assert "Give a number such as 12 or 2.5 (digits only)." in visible_text(row.group(0))
    assert 'value="lots"' in row.group(0) and h.count(Budget) == 0
    done = client.post_form(url, {"amount": "1,200"})
    assert done.status_code == 303
    assert done.headers["Location"] == "/inventory/budget?month=2026-11"
    assert db.session.scalar(select(Budget.amount)) == Decimal("1200.00")


def test_a_housekeeping_supervisor_does_not_see_the_budget(client, db, login_as):
    login_as("supervisor")  # of housekeeping: not the stores'
    assert client.get("/inventory/budget").status_code == 403


def test_the_stores_supervisor_sees_but_does_not_set(client, db, login_as):
    h.stores_department(factories.property_())
    keeper = login_as("supervisor", dept="STR")  # runs the stores: sees, does not set
    hk = factories.department(keeper.property, "HK")
    db.session.commit()
    page = text_of(client.get("/inventory/budget"))
    assert "Spend against budget" in page
    assert client.post_form(f"/inventory/budget/{hk.id}", {"amount": "5"}).status_code == 403
    assert client.post_form(f"/inventory/budget/{2**63}", {"amount": "5"}).status_code == 404


def test_odd_months_in_the_address_fall_back_to_this_month(client, db, login_as):
    login_as("manager")
    for month in ("2026-13", "0000-01", "x", "9999-12", str(2**63)):
        response = client.get(f"/inventory/budget?month={month}&department={2**63}")
        assert response.status_code == 200, month
        assert budget.first_of(date.today()).strftime("%Y-%m") in text_of(response)


def test_the_managers_home_card_shows_this_months_spend(client, db, login_as):
    from tests.inventory.test_views import card_text

    boss = login_as("manager")
    prop = boss.property
    keeper = h.storekeeper(prop)
    main = h.store(prop, name_en="Main store")
    towel = h.item(prop, "Bath towel", unit_cost="2.50")
    h.stocked(main, towel, 100, by=keeper)
    hk = factories.department(prop, "HK")
    assert card_text(client, "supply-budget") == ""  # nothing spent, no budget: no card
    stock.issue(towel, main, Decimal(38), by=keeper, department=hk)  # 95.00 this month
    budget.set_budget(hk, budget.first_of(local_today()), Decimal("100"), by=boss)
    db.session.commit()
    text = card_text(client, "supply-budget")
    assert "Spent this month 95.00" in text and "Budget this month 100.00" in text
    assert "95% of the budget" in text and "Near the budget (past 90%)" in text


def test_a_housekeeping_supervisor_has_no_budget_card(client, db, login_as):
    from tests.inventory.test_views import card_text

    login_as("supervisor")
    assert card_text(client, "supply-budget") == ""
