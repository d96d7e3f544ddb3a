"""Command-line tools: `flask seed-demo`, `flask audit verify`, `flask demo-accounts`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from portal.extensions import db


def init_app(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo():
        """Load each module's demo data once (idempotent)."""
        from portal.database import write_intent
        from portal.demo import SEEDERS, load_seeders

        load_seeders()
        for name, fn in SEEDERS:
            with write_intent():
                loaded = fn()
                db.session.commit()
            click.echo(f"demo data {name}: {'loaded' if loaded else 'already there'}")

    @app.cli.command("demo-accounts")
    def demo_accounts():
        """Print the demo accounts."""
        from portal.blueprints.people.demo import ACCOUNTS, DEMO_PASSWORD, DEMO_PIN

        click.echo("Demo accounts (http://127.0.0.1:5000):")
        for username, role, prop, *_rest in ACCOUNTS:
            click.echo(f"  {username:<15} password {DEMO_PASSWORD}   ({role.value}, {prop})")
        click.echo(f"  E1001 .. E1054  PIN {DEMO_PIN}   (employees; E1039+ at the spa)")

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
