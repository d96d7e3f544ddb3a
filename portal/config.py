"""Configuration read from PORTAL_* environment variables.

Config is the embedded default (SQLite in instance/); ProductionConfig hardens cookies;
TestingConfig is used by the test suite.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def secret_key_for(instance_path: str) -> str:
    """PORTAL_SECRET_KEY, or a key generated once into instance/secret_key."""
    key = os.environ.get("PORTAL_SECRET_KEY")
    if key:
        return key
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


class Config:
    TESTING = False
    # Database: SQLite in instance/ unless PORTAL_DATABASE_URL says otherwise.
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled in by create_app from the instance path
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    PORTAL_TIMEZONE = os.environ.get("PORTAL_TIMEZONE", "Asia/Shanghai")

    # Sessions: a server-side record per sign-in (portal/sessions.py) behind the cookie.
    SESSION_COOKIE_NAME = "staffroom_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    TERMINAL_COOKIE_NAME = "staffroom_terminal"
    TERMINAL_COOKIE_MAX_AGE = 5 * 365 * 24 * 3600
    IDLE_TIMEOUT = _env_int("PORTAL_IDLE_TIMEOUT", 15 * 60)
    TERMINAL_IDLE_TIMEOUT = _env_int("PORTAL_TERMINAL_IDLE_TIMEOUT", 2 * 60)
    IDLE_WARNING = _env_int("PORTAL_IDLE_WARNING", 30)
    SESSION_LIFETIME = _env_int("PORTAL_SESSION_LIFETIME", 12 * 3600)
    SESSION_TOUCH_INTERVAL = 5  # seconds between two writes of last_seen_at
    REAUTH_AFTER = 15 * 60  # sensitive actions ask for the password again after this

    # Sign-in protection.
    LOCKOUT_THRESHOLD = 10
    LOCKOUT_MINUTES = 15
    # None: a file in instance/ that every worker of this server shares (portal/ratelimit.py).
    RATELIMIT_STORAGE_URI = os.environ.get("PORTAL_RATELIMIT_STORAGE_URL") or None
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMIT_PER_ADDRESS = "30 per minute"
    LOGIN_LIMIT_PER_ACCOUNT = "12 per minute"

    # Forms.
    WTF_CSRF_TIME_LIMIT = None  # the token lives exactly as long as the signed-in session
    # The check runs in our own request hook, after the sign-in is loaded, so that a refusal
    # (or a 413 met while reading the form) is shown in the person's language and layout.
    WTF_CSRF_CHECK_DEFAULT = False
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    # Languages.
    LANGUAGES = ("en", "zh_Hans")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = "translations"

    # Documents (portal/pdf.py): a print never holds a web worker while WeasyPrint works.
    PDF_TIMEOUT = _env_int("PORTAL_PDF_TIMEOUT", 60)  # a render running longer is stopped
    PDF_WORKERS = _env_int("PORTAL_PDF_WORKERS", 1)  # PDF processes per web worker
    # Seconds a print request may wait for a quick render before answering "preparing".
    PDF_INLINE_WAIT = _env_float("PORTAL_PDF_INLINE_WAIT", 0.0)
    PDF_QUEUE_LIMIT = _env_int("PORTAL_PDF_QUEUE_LIMIT", 32)  # renders waiting per web worker
    # Finished PDFs shared by the workers: None is instance/documents/; oldest out past the size.
    PDF_CACHE_DIR = os.environ.get("PORTAL_PDF_CACHE_DIR") or None
    PDF_CACHE_BYTES = _env_int("PORTAL_PDF_CACHE_MB", 200) * 1024 * 1024
    PDF_NICE = _env_int("PORTAL_PDF_NICE", 10)  # PDF processes run below the web workers

    # Domain modules to load: None loads every package under portal/blueprints/.
    PORTAL_MODULES: tuple[str, ...] | None = None

    # Running it: proxies in front (nginx: 1) whose X-Forwarded-* are trusted, Redis when
    # several app servers share one, the request log (JSON lines) and what counts as slow.
    PROXY_COUNT = _env_int("PORTAL_PROXY_COUNT", 0)
    REDIS_URL = os.environ.get("PORTAL_REDIS_URL") or None
    REQUEST_LOG = _env_bool("PORTAL_REQUEST_LOG", False)
    SLOW_REQUEST_MS = _env_int("PORTAL_SLOW_REQUEST_MS", 500)

    PER_PAGE = 25
    MAX_PER_PAGE = 100


class ProductionConfig(Config):
    SESSION_COOKIE_NAME = "__Host-staffroom_session"
    SESSION_COOKIE_SECURE = True
    TERMINAL_COOKIE_NAME = "__Host-staffroom_terminal"
    PREFERRED_URL_SCHEME = "https"


class TestingConfig(Config):
    TESTING = True
    RATELIMIT_STORAGE_URI = "memory://"
    PDF_TIMEOUT = 60
    # Every module's tests read the PDF of one request; the tests of portal/pdf.py set 0 to
    # prove the production path (answer "preparing", then poll).
    PDF_INLINE_WAIT = 90.0


def config_from_env() -> type[Config]:
    name = os.environ.get("PORTAL_ENV", "development").lower()
    if name == "production" or _env_bool("PORTAL_COOKIE_SECURE", False):
        return ProductionConfig
    return Config
