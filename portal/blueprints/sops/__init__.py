from flask import Blueprint

bp = Blueprint("sops", __name__, url_prefix="/sops")
