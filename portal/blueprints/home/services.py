"""'What needs me today': the home page gathers the cards every module registers for a role.

The numbers of every card that declares them are read in one query (modules.Card.numbers), so
the page's query count does not grow with the modules registered.
"""

from __future__ import annotations

from sqlalchemy import select

from portal import modules
from portal.extensions import db


def cards_for(user) -> list[dict]:
    cards = modules.cards_for_role(user.role)
    wanted = {}
    for i, card in enumerate(cards):
        if card.numbers is not None:
            for name, expression in card.numbers(user).items():
                wanted[(i, name)] = expression
    values = {}
    if wanted:
        keys = list(wanted)
        row = db.session.execute(
            select(*[wanted[key].label(f"n{n}") for n, key in enumerate(keys)])
        ).one()
        values = dict(zip(keys, row, strict=True))
    built = []
    for i, card in enumerate(cards):
        if card.numbers is None:
            result = card.build(user)
        else:
            result = card.build(
                user, {name: value for (j, name), value in values.items() if j == i}
            )
        if result is not None:
            built.append(result)
    return built
