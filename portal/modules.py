"""Domain modules: each package under portal/blueprints/ declares itself once.

A domain's `__init__.py` defines `bp` and a `module()` function that returns a Module: its
blueprint, navigation entries, audit labels, demo seeder, home-page cards, links on a person's
page and CLI commands. create_app() finds the packages, asks each for its Module and registers
what it brings, so adding a domain touches only its own package, a migration and its tests.

This file is part of the shared core: it knows the shape of a module, never a module by name.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask import Blueprint, Flask, current_app

EXTENSION = "portal_modules"
PACKAGE = "portal.blueprints"


@dataclass(frozen=True)
class NavEntry:
    """A link in the main navigation, shown when `visible(user)` is true (None: to everyone)."""

    endpoint: str
    label: object  # a lazy translatable string
    icon: str
    visible: Callable | None = None
    order: int = 100


@dataclass(frozen=True)
class Card:
    """A 'what needs me today' card on the home page for these roles.

    `build(user)` returns the card as a dict (or None when there is nothing to show). It must
    use a fixed number of queries whatever the data size.

    A card of numbers declares them instead, as SQL built once: the home page reads the numbers
    of every card in one query, so a module that adds such a card adds no query to the page,
    and the query is composed once per shape, not on every visit (composing it and computing
    its cache key cost six times what running it did).

    - `numbers(user)` returns `Numbers(shape, params)`: what decides the form of the card's SQL
      (e.g. the viewer's scope shape, people.scope_shape) and the values of its own bound
      parameters, named after the module ("training_week_end"). It composes no SQL.
    - `numbers_sql(shape)` returns {name: scalar SQL} (e.g.
      `select(func.count())...scalar_subquery()`) whose values are all bound parameters: the
      card's own, the scope's, or the page's (CARD_PARAMS: card_now, card_today, card_user_id,
      card_property_id). Called once per shape; it must not read the request or the clock.
    - `build(user, values)` gets {name: value}.

    A parameter two cards both name must carry the same value (the scope's do); the home page
    refuses a clash rather than give one card the other's number.
    """

    build: Callable
    roles: frozenset[str]
    order: int = 100
    numbers: Callable | None = None
    numbers_sql: Callable | None = None


@dataclass(frozen=True)
class Numbers:
    """A card's numbers for one person: the shape of their SQL, and its parameter values."""

    shape: object = None  # hashable
    params: dict = field(default_factory=dict)


CARD_PARAMS = ("card_now", "card_today", "card_user_id", "card_property_id")


def card_params(user) -> dict:
    """The values of the parameters every card's numbers may name (CARD_PARAMS)."""
    from portal.database import utcnow
    from portal.i18n import local_today

    return {
        "card_now": utcnow(),
        "card_today": local_today(),
        "card_user_id": user.id,
        "card_property_id": user.property_id,
    }


@dataclass(frozen=True)
class Link:
    """A link another module adds to a page it does not own (e.g. a person's page)."""

    url: str
    label: str
    icon: str = "box-arrow-up-right"


@dataclass
class Module:
    name: str
    blueprint: Blueprint
    nav: list[NavEntry] = field(default_factory=list)
    audit_actions: dict[str, object] = field(default_factory=dict)
    audit_objects: dict[str, object] = field(default_factory=dict)
    seeder: Callable[[], bool] | None = None
    seed_after: tuple[str, ...] = ()
    cards: list[Card] = field(default_factory=list)
    # (viewer, person) -> Link | None: shown on the person's page in the people module.
    person_links: list[Callable] = field(default_factory=list)
    cli: list = field(default_factory=list)  # click commands or groups
    extra_rules: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    # {event name: [listener(**payload)]}: what the module does when another module's event
    # happens (portal/events.py names the events).
    listeners: dict[str, list[Callable]] = field(default_factory=dict)


def discover(names: Iterable[str] | None = None) -> list[Module]:
    """Every package under portal/blueprints/ that declares a module (or only those named)."""
    package = importlib.import_module(PACKAGE)
    found = sorted(info.name for info in pkgutil.iter_modules(package.__path__) if info.ispkg)
    wanted = found if names is None else [n for n in found if n in set(names)]
    modules = []
    for name in wanted:
        pkg = importlib.import_module(f"{PACKAGE}.{name}")
        declare = getattr(pkg, "module", None)
        if declare is None:
            continue
        module = declare()
        if module.name != name:
            raise RuntimeError(f"{PACKAGE}.{name} declares itself as {module.name!r}")
        modules.append(module)
    return modules


def init_app(app: Flask, names: Iterable[str] | None = None) -> list[Module]:
    modules = discover(names)
    app.extensions[EXTENSION] = {m.name: m for m in modules}
    # Labels are looked up once per audit row on a page: merge them once, here.
    app.extensions[EXTENSION + ".actions"] = {
        k: v for m in modules for k, v in m.audit_actions.items()
    }
    app.extensions[EXTENSION + ".objects"] = {
        k: v for m in modules for k, v in m.audit_objects.items()
    }
    from portal.events import KNOWN

    for module in modules:
        unknown = set(module.listeners) - KNOWN
        if unknown:
            raise RuntimeError(f"{module.name} listens to unknown events {sorted(unknown)}")
        app.register_blueprint(module.blueprint)
        for rule, endpoint, methods in module.extra_rules:
            app.add_url_rule(rule, endpoint=endpoint, methods=list(methods))
        for command in module.cli:
            app.cli.add_command(command)
    return modules


def registered(app: Flask | None = None) -> list[Module]:
    app = app or current_app
    return list(app.extensions.get(EXTENSION, {}).values())


def is_registered(name: str, app: Flask | None = None) -> bool:
    app = app or current_app
    return name in app.extensions.get(EXTENSION, {})


# --- what the core gathers from the modules -----------------------------------------------------
def nav_entries() -> list[NavEntry]:
    entries = [e for m in registered() for e in m.nav]
    return sorted(entries, key=lambda e: e.order)


def audit_actions() -> dict[str, object]:
    return current_app.extensions.get(EXTENSION + ".actions", {})


def audit_objects() -> dict[str, object]:
    return current_app.extensions.get(EXTENSION + ".objects", {})


def cards_for_role(role: str) -> list[Card]:
    cards = [c for m in registered() for c in m.cards if role in c.roles]
    return sorted(cards, key=lambda c: c.order)


def person_links(viewer, person) -> list[Link]:
    return [
        link for m in registered() for build in m.person_links if (link := build(viewer, person))
    ]


def seeders() -> list[tuple[str, Callable[[], bool]]]:
    """Each module's demo seeder, after the seeders it needs (a stable topological order)."""
    modules = {m.name: m for m in registered() if m.seeder is not None}
    ordered: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in ordered:
            return
        if name in visiting:
            raise RuntimeError(f"demo seeders depend on each other in a circle at {name}")
        visiting.add(name)
        for before in modules[name].seed_after:
            if before in modules:
                visit(before)
        visiting.discard(name)
        ordered.append(name)

    for name in sorted(modules):
        visit(name)
    return [(name, modules[name].seeder) for name in ordered]
