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
                if name in modules.CARD_PARAMS:
                    raise ValueError(f"a home card gives {name!r}, which the page gives")
                if params.setdefault(name, value) != value:
                    raise ValueError(f"two home cards give the parameter {name!r} two values")
    values: list[dict] = [{} for _ in shaped]
    if shaped:
        statement, keys = _numbers_statement(tuple(shaped))
        row = db.session.execute(statement, params).one()
        for (j, name), value in zip(keys, row, strict=True):
            values[j][name] = value
    built = []
    numbered = iter(values)
    for card in cards:
        result = card.build(user) if card.numbers is None else card.build(user, next(numbered))
        if result is not None:
            built.append(result)
    return built


@functools.lru_cache(maxsize=64)
def _numbers_statement(shaped: tuple) -> tuple:
    """One SELECT of every card's numbers for these cards and shapes, composed once; and the
    (position in `shaped`, name) of each of its columns. Positions, not the cards themselves:
    the key matches equal cards of another app (the same module registered again), which
    are not the same objects."""
    keys, columns = [], []
    for j, (card, shape) in enumerate(shaped):
        for name, expression in card.numbers_sql(shape).items():
            columns.append(expression.label(f"n{len(keys)}"))
            keys.append((j, name))
    return select(*columns), keys
