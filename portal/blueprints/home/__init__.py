"""The home page: the 'what needs me today' cards that every module registers."""

from flask import Blueprint

from portal.i18n import lazy_gettext as _l
from portal.modules import Module, NavEntry

bp = Blueprint("home", __name__)


def module() -> Module:
    from portal.blueprints.home import views  # noqa: F401 - attaches the routes

    return Module(
        name="home",
        blueprint=bp,
        nav=[NavEntry("home.index", _l("Home"), "house", order=0)],
    )
