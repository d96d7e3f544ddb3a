"""'What needs me today': the home page gathers the cards every module registers for a role.

The numbers of every card that declares them are read in one query (modules.Card.numbers), so
the page's query count does not grow with the modules registered.
"""

from __future__ import annotations

import functools

from sqlalchemy import select

from portal import modules
from portal.extensions import db


def cards_for(user) -> list[dict]:
    cards = modules.cards_for_role(user.role)
    shaped = []
    params = modules.card_params(user)
    for card in cards:
        if card.numbers is not None:
            numbers = card.numbers(user)
            shaped.append((card, numbers.shape))
            for name, value in numbers.params.items():
                if name in modules.CARD_PARAMS or params.setdefault(name, value) != value:
                    raise ValueError(f"two home cards give the parameter {name!r} two values")
    values = {}
    if shaped:
        statement, keys = _numbers_statement(tuple(shaped))
        row = db.session.execute(statement, params).one()
        values = dict(zip(keys, row, strict=True))
    built = []
    for card in cards:
        if card.numbers is None:
            result = card.build(user)
        else:
            result = card.build(user, {name: v for (c, name), v in values.items() if c is card})
        if result is not None:
            built.append(result)
    return built


@functools.lru_cache(maxsize=64)
def _numbers_statement(shaped: tuple) -> tuple:
    """One SELECT of every card's numbers for these cards and shapes, composed once; and the
    (card, name) of each of its columns."""
    keys, columns = [], []
    for card, shape in shaped:
        for name, expression in card.numbers_sql(shape).items():
            columns.append(expression.label(f"n{len(keys)}"))
            keys.append((card, name))
    return select(*columns), keys
