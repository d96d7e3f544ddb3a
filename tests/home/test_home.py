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
    client, db, ctx, login_as, count_queries, role
):
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
