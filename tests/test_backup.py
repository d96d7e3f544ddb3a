"""`flask backup` and `flask restore`: a copy taken while the portal writes holds every row
committed before it began, as one consistent state (the audit chain verifies in it); a restore
refuses a damaged copy or a database that is not empty, and writes nothing then. On SQLite
always; on PostgreSQL (pg_dump / pg_restore) in the PostgreSQL run, each in databases of its own."""

from __future__ import annotations

import os
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from portal import audit, create_app
from portal.audit import AuditEvent
from portal.extensions import db as portal_db
from tests.conftest import TEST_SECRET

ROOT = Path(__file__).resolve().parent.parent


def _app(url: str, instance: Path):
    before = os.environ.get("PORTAL_INSTANCE_PATH")
    os.environ["PORTAL_INSTANCE_PATH"] = str(instance)
    try:
        return create_app(
            {"TESTING": True, "SECRET_KEY": TEST_SECRET, "SQLALCHEMY_DATABASE_URI": url}
        )
    finally:
        if before is None:
            os.environ.pop("PORTAL_INSTANCE_PATH", None)
        else:
            os.environ["PORTAL_INSTANCE_PATH"] = before


def _migrate(app) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        portal_db.session.remove()


def _write_events(app, n: int, tag: str) -> None:
    with app.app_context():
        for i in range(n):
            audit.record("backup.test", actor=None, summary=f"{tag} {i}")
            portal_db.session.commit()
        portal_db.session.remove()


def _ids(app) -> set[int]:
    with app.app_context():
        ids = set(portal_db.session.scalars(select(AuditEvent.id)))
        portal_db.session.remove()
        return ids


def _back_up_while_writing(app, tmp_path: Path) -> tuple[Path, set[int]]:
    """Rows committed, then a backup taken while a second thread keeps committing more."""
    _write_events(app, 40, "before")
    committed = _ids(app)
    stop = threading.Event()

    def writer():
        with app.app_context():
            while not stop.is_set():
                audit.record("backup.test", actor=None, summary="during")
                portal_db.session.commit()
            portal_db.session.remove()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        time.sleep(0.2)  # the writer is writing
        result = app.test_cli_runner().invoke(
            args=["backup", "--output", str(tmp_path / name(app))]
        )
    finally:
        stop.set()
        thread.join(30)
    assert result.exit_code == 0, result.output
    assert "backup written:" in result.output and "sha256" in result.output
    assert len(_ids(app)) > len(committed)  # the writer did write during the backup
    return tmp_path / name(app), committed


def name(app) -> str:
    with app.app_context():
        return "copy.sqlite" if portal_db.engine.dialect.name == "sqlite" else "copy.pgdump"


def _restore_and_check(target, copy: Path, committed: set[int]) -> None:
    result = target.test_cli_runner().invoke(args=["restore", str(copy)])
    assert result.exit_code == 0, result.output
    assert "audit trail intact" in result.output
    restored = _ids(target)
    assert committed <= restored  # every row committed before the backup began
    with target.app_context():
        assert audit.verify(None).chain_intact  # one consistent state, not a torn one
        (revision,) = portal_db.session.scalars(text("SELECT version_num FROM alembic_version"))
        assert revision
        portal_db.session.remove()
    # A second restore into the same (no longer empty) database is refused, nothing changed.
    again = target.test_cli_runner().invoke(args=["restore", str(copy)])
    assert again.exit_code == 1 and "not empty" in again.output
    assert _ids(target) == restored


def _refuses_a_damaged_copy(target, copy: Path) -> None:
    damaged = copy.with_name("damaged" + copy.suffix)
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    damaged.with_name(damaged.name + ".sha256").write_text(
        copy.with_name(copy.name + ".sha256").read_text()
    )
    result = target.test_cli_runner().invoke(args=["restore", str(damaged)])
    assert result.exit_code == 1 and "does not match its checksum" in result.output
    missing = copy.with_name("nochecksum" + copy.suffix)
    missing.write_bytes(copy.read_bytes())
    result = target.test_cli_runner().invoke(args=["restore", str(missing)])
    assert result.exit_code == 1 and "a copy without its checksum is not restored" in result.output
    with target.app_context():
        from sqlalchemy import inspect

        assert inspect(portal_db.engine).get_table_names() == []  # nothing written
        portal_db.session.remove()


def test_sqlite_backup_while_writing_restores_every_committed_row(tmp_path):
    source = _app(f"sqlite:///{tmp_path / 'live.db'}", tmp_path / "instance")
    _migrate(source)
    copy, committed = _back_up_while_writing(source, tmp_path)
    checksum = (tmp_path / "copy.sqlite.sha256").read_text().split()
    assert checksum[1] == "copy.sqlite" and len(checksum[0]) == 64  # sha256sum -c reads it
    target = _app(f"sqlite:///{tmp_path / 'restored.db'}", tmp_path / "instance2")
    _refuses_a_damaged_copy(target, copy)
    _restore_and_check(target, copy, committed)
    for app in (source, target):
        with app.app_context():
            portal_db.engine.dispose()


def test_a_backup_never_overwrites_a_file(tmp_path):
    source = _app(f"sqlite:///{tmp_path / 'live.db'}", tmp_path / "instance")
    _migrate(source)
    (tmp_path / "taken.sqlite").write_text("something else")
    result = source.test_cli_runner().invoke(
        args=["backup", "--output", str(tmp_path / "taken.sqlite")]
    )
    assert result.exit_code == 1 and "exists already" in result.output
    assert (tmp_path / "taken.sqlite").read_text() == "something else"
    default = source.test_cli_runner().invoke(args=["backup"])
    assert default.exit_code == 0, default.output
    (made,) = (tmp_path / "instance" / "backups").glob("staffroom-*.sqlite")
    assert made.with_name(made.name + ".sha256").is_file()
    with source.app_context():
        portal_db.engine.dispose()


@pytest.fixture
def pg_databases(app):
    """Two new PostgreSQL databases on the test server (source and target), dropped after."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    names = [f"staffroom_bk_{uuid.uuid4().hex[:8]}_{part}" for part in ("src", "dst")]
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for database in names:
            conn.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        yield [
            url.set(database=database).render_as_string(hide_password=False) for database in names
        ]
    finally:
        with admin.connect() as conn:
            for database in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.pg
def test_postgresql_backup_while_writing_restores_every_committed_row(tmp_path, pg_databases):
    source_url, target_url = pg_databases
    source = _app(source_url, tmp_path / "instance")
    _migrate(source)
    copy, committed = _back_up_while_writing(source, tmp_path)
    target = _app(target_url, tmp_path / "instance2")
    _refuses_a_damaged_copy(target, copy)
    _restore_and_check(target, copy, committed)
    with target.app_context():
        assert portal_db.session.scalar(select(func.count()).select_from(AuditEvent)) >= 40
        portal_db.session.remove()
    for app in (source, target):
        with app.app_context():
            portal_db.engine.dispose()
