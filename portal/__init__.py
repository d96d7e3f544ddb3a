"""Staffroom: the back-of-house portal. create_app() builds the application."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, g, request
from flask_wtf.csrf import generate_csrf
from werkzeug.routing import IntegerConverter

from portal.config import Config, TestingConfig, config_from_env, secret_key_for


def create_app(config: type[Config] | dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("PORTAL_INSTANCE_PATH") or None,
        instance_relative_config=True,
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    from portal.security import PortalRequest

    app.request_class = PortalRequest  # the body size limit holds without Content-Length too

    base = config if isinstance(config, type) else config_from_env()
    app.config.from_object(base)
    if isinstance(config, dict):
        app.config.from_object(TestingConfig if config.get("TESTING") else base)
        app.config.update(config)
    app.config.setdefault("SECRET_KEY", None)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = secret_key_for(app.instance_path)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get(
            "PORTAL_DATABASE_URL", f"sqlite:///{Path(app.instance_path) / 'staffroom.db'}"
        )
    _fix_postgres_url(app)
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        from portal.ratelimit import default_uri

        app.config["RATELIMIT_STORAGE_URI"] = default_uri(app.instance_path)

    # Ids in paths fit the database's integer columns: a larger number is a 404, never a 500.
    app.url_map.converters["int"] = BoundedInt
    _init_extensions(app)
    from portal import cli, errors_views, i18n, modules, templating

    # Every package under portal/blueprints/ declares itself (PORTAL_MODULES may name fewer).
    modules.init_app(app, app.config.get("PORTAL_MODULES"))
    _register_request_hooks(app)

    i18n.init_app(app)
    templating.init_app(app)
    errors_views.init_app(app)
    cli.init_app(app)
    return app


class BoundedInt(IntegerConverter):
    """<int:...> in every module's routes: 1 .. 2^31-1 (the range of an id column)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def _fix_postgres_url(app: Flask) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    app.config["SQLALCHEMY_DATABASE_URI"] = url


def _init_extensions(app: Flask) -> None:
    from portal import database, sessions
    from portal.extensions import babel, csrf, db, limiter, login_manager, migrate
    from portal.i18n import select_locale, select_timezone

    db.init_app(app)
    with app.app_context():
        database.configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    import portal.ratelimit  # noqa: F401 - registers the portal+file:// storage

    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(sessions.user_loader)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = None  # our server-side sessions do this job


def _register_request_hooks(app: Flask) -> None:
    from portal import database, sessions
    from portal.extensions import csrf
    from portal.security import enforce_checked, login_guard, security_headers

    @app.before_request
    def _load_identity():
        if request.endpoint == "static":
            return None
        database.set_write_intent(request.method not in {"GET", "HEAD", "OPTIONS"})
        g.access_checked = False
        g.terminal = sessions.load_terminal()
        sessions.load_session()
        return None

    @app.before_request
    def _check_csrf():
        """Every unsafe method carries the CSRF token (checked once the sign-in is known)."""
        cfg = app.config
        if cfg.get("WTF_CSRF_ENABLED", True) and request.method in cfg.get(
            "WTF_CSRF_METHODS", {"POST", "PUT", "PATCH", "DELETE"}
        ):
            csrf.protect()

    app.before_request(login_guard)
    app.after_request(enforce_checked)
    app.after_request(security_headers)
    app.after_request(database.end_request)  # runs first: after_request hooks run in reverse

    @app.context_processor
    def _inject():
        return {"csrf_token_value": generate_csrf, "terminal": g.get("terminal")}
