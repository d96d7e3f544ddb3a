"""Bounded, clamped pagination for every list that can grow.

`page` and `per_page` come from the query string: anything that is not a number in range is
clamped (per_page to 1..MAX_PER_PAGE, page to 1..the last page), so no number a person types
reaches the database as an OFFSET it cannot hold.
"""

from flask import current_app, request

from portal.extensions import db

# Far beyond any list, small enough that (page - 1) * MAX_PER_PAGE fits a 64-bit OFFSET.
MAX_PAGE = 2**31 - 1


def int_arg(name: str, default: int, low: int = 0, high: int = MAX_PAGE) -> int:
    """A whole number from the query string, clamped to low..high; `default` when absent or
    not a number. Any module's list filter (a department id, a page) reads numbers this way."""
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return default
    if len(raw) > 20:  # beyond any 64-bit number (and int() of thousands of digits is slow)
        return high if raw.lstrip("+").isdecimal() else default
    try:
        value = int(raw)
    except ValueError:
        return default
    return min(max(value, low), high)


def paginate(query):
    cfg = current_app.config
    per_page = int_arg("per_page", cfg["PER_PAGE"], 1, cfg["MAX_PER_PAGE"])
    page = int_arg("page", 1, 1, MAX_PAGE)
    result = db.paginate(query, page=page, per_page=per_page, error_out=False, count=True)
    if page > 1 and result.pages and page > result.pages:
        # Past the end: show the last page rather than an empty one.
        result = db.paginate(
            query, page=result.pages, per_page=per_page, error_out=False, count=True
        )
    return result
