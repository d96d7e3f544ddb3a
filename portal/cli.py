"""Core command-line tools: `flask seed-demo` (every module's seeder, in order) and
`flask audit verify`. Modules bring their own commands through their registration."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from portal.extensions import db


def init_app(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo():
        """Load each module's demo data once (idempotent)."""
        from portal import modules
        from portal.database import write_intent

        for name, fn in modules.seeders():
            with write_intent():
                loaded = fn()
                db.session.commit()
            click.echo(f"demo data {name}: {'loaded' if loaded else 'already there'}")

    audit_cli = AppGroup("audit", help="The audit trail.")

    @audit_cli.command("verify")
    def verify():
        """Check the hash chain; report the first row that was changed or removed."""
        from portal import audit

        result = audit.verify()
        if result.first_bad_id is None:
            click.echo(f"audit trail intact: {result.checked} rows checked")
            return
        click.echo(
            f"audit trail TAMPERED at row {result.first_bad_id}: {result.reason} "
            f"({result.checked} rows read)",
            err=True,
        )
        raise SystemExit(1)

    app.cli.add_command(audit_cli)
