"""'What needs me today': the home page gathers the cards every module registers for a role."""

from __future__ import annotations

from portal import modules


def cards_for(user) -> list[dict]:
    return [c for card in modules.cards_for_role(user.role) if (c := card.build(user)) is not None]
