"""Core command-line tools: `flask seed-demo` (every module's seeder, in order),
`flask audit verify` and `flask audit checkpoint` (the signed head of the trail, see
portal/audit.py), `flask backup` and `flask restore` (portal/backup.py). Modules bring their own
commands through their registration."""

from __future__ import annotations

from pathlib import Path

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
        """Check the hash chain against the signed checkpoint; move the checkpoint if intact."""
        from portal import audit

        result = audit.verify()
        if not result.chain_intact:
            click.echo(
                f"audit trail TAMPERED at row {result.first_bad_id}: {result.reason} "
                f"({result.checked} rows read)",
                err=True,
            )
            raise SystemExit(1)
        if result.head == "missing":
            click.echo(
                f"audit CHECKPOINT MISSING: {result.head_problem}; the chain holds "
                f"({result.checked} rows) but removed newest rows or a rewritten chain would "
                "go unnoticed. If the trail is known good, run `flask audit checkpoint`.",
                err=True,
            )
            raise SystemExit(1)
        if result.head == "bad":
            click.echo(
                f"audit CHECKPOINT FORGED OR DAMAGED: {result.head_problem}; it was not "
                "trusted and not replaced.",
                err=True,
            )
            raise SystemExit(1)
        click.echo(f"audit trail intact: {result.checked} rows checked")
        _take(audit, result)

    @audit_cli.command("checkpoint")
    @click.option(
        "--replace",
        is_flag=True,
        help="Start over from the chain as it is now, although it does not match the current "
        "checkpoint (after restoring a backup, re-creating the database or changing "
        "SECRET_KEY).",
    )
    def checkpoint(replace: bool):
        """Verify the chain and record its signed head in the instance folder."""
        from portal import audit

        result = audit.verify()
        if result.head == "missing":  # the first checkpoint of this trail
            result = audit.verify(None)
        elif replace and not result.intact:
            click.echo(f"replacing the checkpoint: {result.head_problem or result.reason}")
            result = audit.verify(None)
        if not result.chain_intact:
            click.echo(
                f"no checkpoint taken: audit trail TAMPERED at row {result.first_bad_id}: "
                f"{result.reason}",
                err=True,
            )
            raise SystemExit(1)
        if result.head == "bad":
            click.echo(
                f"no checkpoint taken: {result.head_problem} (use --replace to start over)",
                err=True,
            )
            raise SystemExit(1)
        _take(audit, result)

    def _take(audit, result) -> None:
        head = result.checkpoint()
        path = audit.write_checkpoint(head)
        click.echo(f"checkpoint taken: row {head.last_id}, {head.count} rows, {path}")

    app.cli.add_command(audit_cli)

    @app.cli.command("backup")
    @click.option(
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        help="The copy's file (default: instance/backups/staffroom-<UTC time>.sqlite or .pgdump).",
    )
    def backup_command(output: Path | None):
        """Write a consistent copy of the database (while the portal runs) and its checksum."""
        from portal import backup

        path = output or backup.default_name(db.engine, Path(app.instance_path) / "backups")
        try:
            copy = backup.backup(db.engine, path)
        except backup.BackupError as error:
            click.echo(f"no backup written: {error}", err=True)
            raise SystemExit(1) from None
        click.echo(f"backup written: {copy.path} ({copy.size:,} bytes, sha256 {copy.sha256})")

    @app.cli.command("restore")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    def restore_command(path: Path):
        """Restore a backup (its checksum checked) into an empty database, then check the
        audit trail's chain."""
        from portal import audit, backup

        try:
            backup.restore(db.engine, path)
        except backup.BackupError as error:
            click.echo(f"nothing restored: {error}", err=True)
            raise SystemExit(1) from None
        db.session.remove()
        result = audit.verify(None)
        if not result.chain_intact:
            click.echo(
                f"restored, but the audit trail is BROKEN at row {result.first_bad_id}: "
                f"{result.reason}",
                err=True,
            )
            raise SystemExit(1)
        click.echo(
            f"restored {path.name}; audit trail intact: {result.checked} rows. The checkpoint "
            "of the trail is that of the live database: once this restore is the portal's "
            "database, run `flask audit checkpoint --replace`."
        )
