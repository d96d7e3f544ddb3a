"""Backups and restores of the portal's database, with a checksum beside each copy.

- SQLite: the online backup API of sqlite3 copies the database page by page while the portal
  runs and writes (each step sees one consistent state; a write between steps restarts the
  copy of what changed), into `<name>.sqlite`.
- PostgreSQL: `pg_dump --format=custom` (one snapshot, no lock on writers) into `<name>.pgdump`;
  restored with `pg_restore --single-transaction`, so a failed restore leaves nothing behind.

Beside each copy, `<copy>.sha256` in sha256sum's format (`sha256sum -c` checks it too). A
restore refuses a copy whose checksum does not match or is missing, and a database that is not
empty: it never mixes a backup into live data. Credentials go to pg_dump through its
environment, never on its command line (where `ps` would show them).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Engine, make_url

CHUNK = 1 << 20


class BackupError(Exception):
    """Said to the person running the command; nothing was written to the database."""


@dataclass
class Copy:
    path: Path
    checksum_path: Path
    sha256: str
    size: int


def default_name(engine: Engine, directory: Path) -> Path:
    suffix = ".sqlite" if engine.dialect.name == "sqlite" else ".pgdump"
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return directory / f"staffroom-{stamp}{suffix}"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _checksum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def backup(engine: Engine, path: Path) -> Copy:
    """Write a consistent copy of the database to `path` and its checksum beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise BackupError(f"{path} exists already: choose another name.")
    partial = path.with_name(path.name + ".partial")
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_backup(engine, partial)
        elif engine.dialect.name == "postgresql":
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(partial)], engine)
        else:
            raise BackupError(f"no backup for {engine.dialect.name} databases")
        os.replace(partial, path)  # a copy is either whole or not there
    finally:
        partial.unlink(missing_ok=True)
    digest = sha256_of(path)
    checksum = _checksum_path(path)
    checksum.write_text(f"{digest}  {path.name}\n")
    return Copy(path, checksum, digest, path.stat().st_size)


def verify_copy(path: Path) -> str:
    """The copy's checksum, after checking it against its .sha256 file."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file.")
    checksum = _checksum_path(path)
    if not checksum.is_file():
        raise BackupError(f"{checksum} is missing: a copy without its checksum is not restored.")
    expected = checksum.read_text().split()[0] if checksum.read_text().split() else ""
    actual = sha256_of(path)
    if actual != expected:
        raise BackupError(
            f"{path.name} does not match its checksum (the file is damaged or was changed): "
            "nothing was restored."
        )
    return actual


def restore(engine: Engine, path: Path) -> None:
    """Restore a checked copy into an empty database."""
    verify_copy(path)
    if inspect(engine).get_table_names():
        raise BackupError(
            "The database is not empty: a backup is restored into an empty database only "
            "(create a new one and point PORTAL_DATABASE_URL at it)."
        )
    if engine.dialect.name == "sqlite":
        if not path.name.endswith(".sqlite"):
            raise BackupError(f"{path.name} is not a SQLite backup.")
        _sqlite_restore(engine, path)
    elif engine.dialect.name == "postgresql":
        if not path.name.endswith(".pgdump"):
            raise BackupError(f"{path.name} is not a PostgreSQL backup.")
        _run(
            # --clean --if-exists: the dump recreates the public schema the empty database has.
            [
                "pg_restore",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--clean",
                "--if-exists",
                str(path),
            ],
            engine,
            database_flag=True,
        )
    else:
        raise BackupError(f"no restore for {engine.dialect.name} databases")
    engine.dispose()  # connections opened before the restore saw an empty schema


def _sqlite_file(engine: Engine) -> str:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return database


def _sqlite_backup(engine: Engine, target: Path) -> None:
    source = sqlite3.connect(_sqlite_file(engine), timeout=30)
    destination = sqlite3.connect(target)
    try:
        with destination:
            source.backup(destination, pages=256)  # steps: writers are not held up
    finally:
        destination.close()
        source.close()


def _sqlite_restore(engine: Engine, path: Path) -> None:
    engine.dispose()
    database = _sqlite_file(engine)
    source = sqlite3.connect(path)
    destination = sqlite3.connect(database, timeout=30)
    try:
        with destination:
            source.backup(destination)
    finally:
        destination.close()
        source.close()


def _run(argv: list[str], engine: Engine, *, database_flag: bool = False) -> None:
    tool = shutil.which(argv[0])
    if tool is None:
        raise BackupError(f"{argv[0]} is not installed (Debian: postgresql-client)")
    url = make_url(engine.url)
    env = {**os.environ, "PGDATABASE": url.database or ""}
    for name, value in (
        ("PGHOST", url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
    ):
        if value:
            env[name] = str(value)
    if database_flag:
        argv = [*argv[:-1], "--dbname", url.database or "", argv[-1]]
    result = subprocess.run([tool, *argv[1:]], env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{argv[0]} failed: {result.stderr.strip()[-500:]}")
