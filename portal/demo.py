"""`flask seed-demo`: each module registers a seeder; they run in order, once."""

from __future__ import annotations

from collections.abc import Callable

SEEDERS: list[tuple[str, Callable[[], bool]]] = []


def seeder(name: str):
    def register(fn):
        SEEDERS.append((name, fn))
        return fn

    return register


def load_seeders() -> None:
    import portal.blueprints.people.demo
    import portal.blueprints.sops.demo  # noqa: F401
