"""Who may reach the home page: every role, and nobody anonymous (see tests/access.py).

The home page holds no record of its own: each card is the card's module's concern."""

from tests import access
from tests.access import ALL, Row, page

ROWS = access.domain(
    "home",
    [Row("home.index", ALL, page("My details", lambda c: c.actor.staff_no))],
)

globals().update(access.tests_for(ROWS))
