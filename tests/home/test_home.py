"""The home page: each role's cards, gathered from the modules in a fixed number of queries."""

from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import text_of

CARD_TITLES = {
    "employee": ["My details", "SOPs to read"],
    "supervisor": ["My details", "My team"],
    "hr": ["My details", "People", "Audit trail, last 24 hours"],
    "manager": ["My details", "My team", "People"],
    "admin": ["My details", "People", "Audit trail, last 24 hours", "Shared terminals"],
}


@pytest.mark.parametrize("role", sorted(CARD_TITLES))
def test_each_role_sees_its_cards(client, db, login_as, role):
    login_as(role)
    page = text_of(client.get("/"))
    for title in CARD_TITLES[role]:
        assert title in page, title
    if role != "admin":
        assert "Shared terminals" not in page


def _more_data(prop, n: int, first: int = 0) -> None:
    for i in range(n):
        factories.person("employee", prop=prop, dept=("HK", "FO")[i % 2])
    for i in range(n // 4):
        factories.sop(number=f"HK-{200 + first + i}", prop=prop)


@pytest.mark.parametrize("role", sorted(CARD_TITLES))
def test_home_uses_the_same_number_of_queries_whatever_the_data(
    client, app, db, ctx, login_as, count_queries, role, monkeypatch
):
    monkeypatch.setitem(app.config, "PORTAL_MEMO", False)  # the worst case, every time
    user = login_as(role)
    _more_data(user.property, 4)
    db.session.commit()
    client.get("/")  # the session's first touch is not part of the page
    with count_queries() as few:
        assert client.get("/").status_code == 200
    _more_data(user.property, 24, first=10)
    db.session.commit()
    with count_queries() as many:
        assert client.get("/").status_code == 200
    assert few.count == many.count, many.statements
    assert many.count <= 20


def test_the_numbers_of_every_card_are_read_in_one_query(
    app, db, ctx, login_as, count_queries, monkeypatch
):
    """A module's card of numbers adds no query: the home page reads them all at once."""
    from sqlalchemy import bindparam, func, select

    from portal import modules
    from portal.blueprints.home import services
    from portal.blueprints.people.models import User

    user = login_as("hr")

    def counting_card(n):
        return modules.Card(
            lambda viewer, values: {"id": f"c{n}", "values": values},
            frozenset({"hr"}),
            order=n,
            numbers=lambda viewer: modules.Numbers(None, {f"test_n{n}": n}),
            numbers_sql=lambda shape: {
                "people": select(func.count(User.id))
                .where(User.property_id == bindparam("card_property_id"))
                .scalar_subquery(),
                "n": bindparam(f"test_n{n}"),
            },
        )

    for extra in (1, 5):
        cards = [counting_card(n) for n in range(extra)]
        monkeypatch.setattr(modules, "cards_for_role", lambda role, cards=cards: cards)
        with count_queries() as queries:
            built = services.cards_for(user)
        assert queries.count == 1
        assert [card["values"]["n"] for card in built] == list(range(extra))
        assert {card["values"]["people"] for card in built} == {1}


def test_a_card_s_sql_is_composed_once_and_counts_for_each_person(
    app, db, ctx, login_as, monkeypatch
):
    """The numbers' statement is kept per shape, its values bound at each visit: two people of
    the same shape at two properties each get their own property's count, and a person of
    another shape gets a statement of their own."""
    from sqlalchemy import bindparam, func, select

    from portal import modules
    from portal.blueprints.home import services
    from portal.blueprints.people.models import User
    from portal.permissions import property_clause_of, property_shape

    composed = []

    def numbers_sql(shape):
        composed.append(shape)
        return {
            "people": select(func.count(User.id))
            .where(property_clause_of(shape, User.property_id), User.role == bindparam("t_role"))
            .scalar_subquery()
        }

    def build(viewer, values):
        return {"id": "t", "values": values}

    def numbers(viewer):
        return modules.Numbers(property_shape(viewer), {"t_role": "employee"})

    def card():  # a new Card each time, equal to the last (as another app registers it)
        return modules.Card(
            build, frozenset({"hr", "admin"}), numbers=numbers, numbers_sql=numbers_sql
        )

    monkeypatch.setattr(modules, "cards_for_role", lambda role: [card()])
    here, there = factories.property_(), factories.property_("HBR", name_en="Harbour House")
    for _ in range(3):
        factories.person("employee", prop=here)
    factories.person("employee", prop=there)
    hr_here = factories.person("hr", prop=here)
    hr_there = factories.person("hr", prop=there)
    admin = factories.person("admin", prop=there)
    db.session.flush()
    everyone = db.session.scalar(select(func.count(User.id)).where(User.role == "employee"))

    def people(viewer):
        (built,) = services.cards_for(viewer)
        return built["values"]["people"]

    assert [people(hr_here), people(hr_there), people(hr_here)] == [3, 1, 3]
    assert people(admin) == everyone
    assert composed == ["one", "every"]


def test_two_cards_cannot_give_one_parameter_two_values(app, db, ctx, login_as, monkeypatch):
    from sqlalchemy import bindparam

    from portal import modules
    from portal.blueprints.home import services

    user = login_as("hr")

    def card(value):
        return modules.Card(
            lambda viewer, values: {"id": "t"},
            frozenset({"hr"}),
            numbers=lambda viewer: modules.Numbers(None, {"shared": value}),
            numbers_sql=lambda shape: {"n": bindparam("shared")},
        )

    monkeypatch.setattr(modules, "cards_for_role", lambda role: [card(1), card(2)])
    with pytest.raises(ValueError, match="shared"):
        services.cards_for(user)
    monkeypatch.setattr(modules, "cards_for_role", lambda role: [card(1), card(1)])
    assert len(services.cards_for(user)) == 2
    page_owned = modules.Card(
        lambda viewer, values: {"id": "t"},
        frozenset({"hr"}),
        numbers=lambda viewer: modules.Numbers(None, {"card_now": 0}),
        numbers_sql=lambda shape: {"n": bindparam("card_now")},
    )
    monkeypatch.setattr(modules, "cards_for_role", lambda role: [page_owned])
    with pytest.raises(ValueError, match="card_now"):
        services.cards_for(user)


# --- how cards show what they count -------------------------------------------------------------
def _with_card(monkeypatch, card_dict, role="hr"):
    from portal import modules

    card = modules.Card(lambda viewer: card_dict, frozenset({role}))
    original = modules.cards_for_role
    monkeypatch.setattr(modules, "cards_for_role", lambda r: [*original(r), card])


def _card_html(client, card_id: str) -> str:
    import re

    html = client.get("/").get_data(as_text=True)
    found = re.search(
        rf'<section class="card portal-card" id="card-{card_id}".*?</section>', html, re.S
    )
    assert found, card_id
    return found.group(0)


def test_a_number_with_a_url_is_a_link_to_what_it_counts(client, db, login_as, monkeypatch):
    import re

    login_as("hr")
    _with_card(
        monkeypatch,
        {
            "id": "linked",
            "icon": "people",
            "title": "Linked numbers",
            "numbers": [("Counted", 7, "/people/?status=active"), ("Plain", 3)],
        },
    )
    card = _card_html(client, "linked")
    link = re.search(
        r'<a class="portal-row-link" href="/people/\?status=active"([^>]*)>7</a>', card
    )
    assert link, card
    # The link is named by its label too (a bare "7" says nothing to a screen reader).
    assert 'aria-describedby="card-linked-n1"' in link.group(1)
    assert '<dt id="card-linked-n1">Counted</dt>' in card
    assert "<dd>3</dd>" in card


def test_entries_carry_a_badge_in_words_notes_and_links(client, db, login_as, monkeypatch):
    login_as("hr")
    _with_card(
        monkeypatch,
        {
            "id": "entries",
            "icon": "book",
            "title": "Entries",
            "entries": [
                {
                    "url": "/sops/1",
                    "label": "HK-001 Guest-room cleaning",
                    "badge": {
                        "text": "40% · Low",
                        "cls": "text-bg-danger",
                        "icon": "x-circle-fill",
                    },
                    "notes": ["Due since 1 Nov 2026"],
                    "links": [("/sops/1/acknowledgements?outstanding=1", "6 not yet")],
                },
                ("/sops/2", "An older card entry", "overdue"),
            ],
        },
    )
    card = _card_html(client, "entries")
    assert '<a class="portal-row-link" href="/sops/1">HK-001 Guest-room cleaning</a>' in card
    assert "text-bg-danger" in card and "40% · Low" in card and "#x-circle-fill" in card
    assert "Due since 1 Nov 2026" in card
    assert 'href="/sops/1/acknowledgements?outstanding=1"' in card and "btn-touch" in card
    # A bare word badge (the older shape) still shows, as a warning with its icon.
    assert "text-bg-warning" in card and "overdue" in card and "#exclamation-triangle-fill" in card
