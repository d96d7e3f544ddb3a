"""Staffroom: the back-of-house portal. create_app() builds the application."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, g, request
from flask_wtf.csrf import generate_csrf
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, ValidationError

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
    proxies = app.config.get("PROXY_COUNT", 0)
    if proxies:
        # Behind nginx: the client's address, scheme and host are those the proxies forward.
        # Without it every request came from 127.0.0.1, and one person's failed sign-ins would
        # rate-limit the whole hotel. Only as many hops as configured are trusted.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=0
        )
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        from portal.ratelimit import default_uri

        # Several app servers share Redis: their sign-in limits are then counted once.
        app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or default_uri(
            app.instance_path
        )
    _require_shared_secret(app)

    # Ids in paths fit the database's integer columns: a larger number is a 404, never a 500.
    app.url_map.converters["int"] = BoundedInt
    _init_extensions(app)
    from portal import cli, errors_views, i18n, modules, templating

    # Every package under portal/blueprints/ declares itself (PORTAL_MODULES may name fewer).
    modules.init_app(app, app.config.get("PORTAL_MODULES"))
    from portal import health, metrics, requestlog

    app.register_blueprint(health.bp)
    app.register_blueprint(metrics.bp)
    requestlog.init_app(app)  # first in, last out: its clock covers the other hooks
    _register_request_hooks(app)

    i18n.init_app(app)
    templating.init_app(app)
    errors_views.init_app(app)
    cli.init_app(app)
    return app


def _require_shared_secret(app: Flask) -> None:
    """Several app servers (PORTAL_REDIS_URL set) must sign with one key: a key each server
    generated into its own instance folder would make every CSRF token and idle clock of one
    server invalid on the next. Refuse to start rather than fail on every other request."""
    production = app.config.get("SESSION_COOKIE_SECURE") and not app.testing
    if production and app.config.get("REDIS_URL") and not os.environ.get("PORTAL_SECRET_KEY"):
        raise RuntimeError(
            "PORTAL_REDIS_URL is set (several app servers) but PORTAL_SECRET_KEY is not: "
            "give every app server the same PORTAL_SECRET_KEY (docs/deploy.md)."
        )


class BoundedInt(IntegerConverter):
    """<int:...> in every module's routes: 1 .. 2^31-1 (the range of an id column)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)

    def to_python(self, value: str):
        # Werkzeug counts the GET rule of the same path as a match before it asks the
        # converters, so a ValidationError here would make POST /x/<2^63> a 405: it names
        # nothing, whatever the method.
        try:
            return super().to_python(value)
        except ValidationError:
            raise NotFound() from None


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
    from portal import database, health, metrics, sessions

    PROBES = health.ENDPOINTS | {metrics.ENDPOINT}
    from portal.extensions import csrf
    from portal.security import enforce_checked, login_guard, security_headers

    @app.before_request
    def _load_identity():
        if request.endpoint == "static" or request.endpoint in PROBES:
            return None  # a probe or a scrape signs nobody in
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
