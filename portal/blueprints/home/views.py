from flask_login import current_user

from portal.blueprints.auth.permissions import can_use_portal
from portal.blueprints.home import bp, services
from portal.htmx import render
from portal.security import require


@bp.get("/")
def index():
    require(can_use_portal)
    return render("home/index.html", cards=services.cards_for(current_user))
