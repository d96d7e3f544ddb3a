from flask import Blueprint

bp = Blueprint("terminals", __name__, url_prefix="/terminals")
