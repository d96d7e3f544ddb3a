"""Migrations from empty give exactly the models' schema, on SQLite and on PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from portal import create_app
from portal.extensions import db as _db
from tests.conftest import ROOT


def test_upgraded_schema_matches_the_models(app):
    # The session's database was built by `flask db upgrade` from empty (conftest).
    with app.app_context(), _db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, _db.metadata)
    assert diff == []


def test_downgrade_and_upgrade_again(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        downgrade(directory=str(ROOT / "migrations"), revision="base")
        engine = create_engine(url)
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
        upgrade(directory=str(ROOT / "migrations"))
        assert "audit_events" in inspect(engine).get_table_names()
        engine.dispose()
        _db.engine.dispose()


def test_sqlite_audit_triggers_come_and_go_with_their_migration(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    url = f"sqlite:///{tmp_path / 'triggers.db'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    triggers = text("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        engine = create_engine(url)
        with engine.connect() as conn:
            assert conn.execute(triggers).scalars().all() == [
                "audit_events_no_delete",
                "audit_events_no_update",
            ]
        downgrade(directory=str(ROOT / "migrations"), revision="b3e9f7a2c5d4-1")
        with engine.connect() as conn:
            assert conn.execute(triggers).scalars().all() == []
        engine.dispose()
        _db.engine.dispose()
