"""Sign-in rate limits that every worker of one server shares, without Redis.

Flask-Limiter's memory:// storage counts per process: with two gunicorn workers, twice the limit
got through. The default storage is now a small SQLite file in the instance folder
(`portal+file://<path>`), which every worker of the server opens: one fixed-window counter per
key, changed in one IMMEDIATE transaction, so two workers never lose a count. Several servers
behind one proxy set PORTAL_RATELIMIT_STORAGE_URL=redis://... instead (SECURITY.md, sign-in).
"""

from __future__ import annotations

import sqlite3
import threading
import time

from limits.storage import Storage

SCHEME = "portal+file"


class FileStorage(Storage):
    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = (uri or "").split("://", 1)[1]
        self._local = threading.local()
        with self._connection() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS counters ("
                " key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires_at REAL NOT NULL)"
            )

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            self._local.conn = conn
        return conn

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")  # one writer at a time, across processes
        try:
            conn.execute("DELETE FROM counters WHERE key = ? AND expires_at <= ?", (key, now))
            conn.execute(
                "INSERT INTO counters (key, count, expires_at) VALUES (?, 0, ?)"
                " ON CONFLICT(key) DO NOTHING",
                (key, now + expiry),
            )
            conn.execute("UPDATE counters SET count = count + ? WHERE key = ?", (amount, key))
            (count,) = conn.execute("SELECT count FROM counters WHERE key = ?", (key,)).fetchone()
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return count

    def _row(self, key: str):
        return (
            self._connection()
            .execute(
                "SELECT count, expires_at FROM counters WHERE key = ? AND expires_at > ?",
                (key, time.time()),
            )
            .fetchone()
        )

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else time.time()

    def check(self) -> bool:
        try:
            self._connection().execute("SELECT 1")
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        conn = self._connection()
        (count,) = conn.execute("SELECT count(*) FROM counters").fetchone()
        conn.execute("DELETE FROM counters")
        return count

    def clear(self, key: str) -> None:
        self._connection().execute("DELETE FROM counters WHERE key = ?", (key,))


def default_uri(instance_path: str) -> str:
    return f"{SCHEME}://{instance_path}/ratelimits.sqlite3"
