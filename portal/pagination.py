"""Bounded, clamped pagination for every list that can grow."""

from flask import current_app, request

from portal.extensions import db


def _int_arg(name: str, default: int) -> int:
    try:
        return int(request.args.get(name, default))
    except (TypeError, ValueError):
        return default


def paginate(query):
    cfg = current_app.config
    per_page = min(max(_int_arg("per_page", cfg["PER_PAGE"]), 1), cfg["MAX_PER_PAGE"])
    page = max(_int_arg("page", 1), 1)
    return db.paginate(query, page=page, per_page=per_page, error_out=False, count=True)
