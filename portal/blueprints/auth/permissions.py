from portal.permissions import signed_in


def can_use_portal(user, obj=None) -> bool:
    """Anything every signed-in person may do: keep the session alive, sign out, set language."""
    return signed_in(user)
