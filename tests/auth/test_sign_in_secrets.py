"""What a refused sign-in leaves behind: no typed secret in the audit trail, no timing that
tells a name apart, and no secret hash shared between two people."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from portal.audit import AuditEvent
from portal.blueprints.auth import services
from portal.blueprints.people.models import User
from portal.database import utcnow
from tests import factories


def _summaries(db) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.summary).order_by(AuditEvent.id)))


def test_a_secret_typed_into_the_name_field_is_not_in_the_audit_trail(client, db):
    factories.person("employee")
    db.session.commit()
    typed = ["246810", "Winter-sun-2026!", "s3cret.pass_word"]
    for text in typed:
        assert client.sign_in(text, "000000").status_code == 422
    rows = db.session.execute(
        select(AuditEvent.action, AuditEvent.summary, AuditEvent.object_id).where(
            AuditEvent.action == "auth.sign_in_failed"
        )
    ).all()
    assert len(rows) == len(typed)
    for _action, summary, object_id in rows:
        assert object_id is None
        assert "unknown" in summary
        for text in typed:
            assert text.lower() not in summary.lower()


def test_the_same_unknown_name_gets_the_same_keyed_reference(client, db):
    for text in ("246810", "246810", "135799"):
        client.sign_in(text, "000000")
    summaries = [s for s in _summaries(db) if "unknown" in s]
    assert len(summaries) == 3
    assert summaries[0] == summaries[1]  # repeated tries can be correlated
    assert summaries[0] != summaries[2]


def test_a_known_name_is_recorded_as_the_account_not_as_typed_text(client, db):
    person = factories.person("manager", username="fo.lead")
    gone = factories.person("employee", staff_no="E4242", active=False)
    db.session.commit()
    client.sign_in("FO.Lead", "wrong-password")
    client.sign_in("e4242", "000000")
    rows = db.session.execute(
        select(AuditEvent.object_id, AuditEvent.summary).where(
            AuditEvent.action == "auth.sign_in_failed"
        )
    ).all()
    assert {object_id for object_id, _s in rows} == {person.id, gone.id}
    for _object_id, summary in rows:
        assert "fo.lead" not in summary.lower() and "e4242" not in summary.lower()


# 15 rounds of the four kinds take about 8 s with the production hash (about 0.13 s a try
# on one core); 20 would take over 10 s.


@pytest.mark.parametrize("kind", ["unknown", "wrong", "locked", "inactive", "no_secret"])
def test_every_refusal_does_the_same_key_derivation_work(client, db, monkeypatch, kind):
    """Unknown name, wrong secret, locked, inactive, or no secret of that kind stored: exactly
    one check of a hash of the production method each, so the answer takes the same time.
    (Counted, not timed: the relative timing is measured by `make bench`.)"""
    person = factories.person("employee", staff_no="E5001")
    person.pin_hash = generate_password_hash(factories.PIN)  # the production method
    if kind == "locked":
        person.locked_until = utcnow() + timedelta(days=1)
    if kind == "inactive":
        person.active = False
    if kind == "no_secret":
        person.pin_hash = None
    db.session.commit()
    production_method = generate_password_hash("x").split("$", 1)[0]
    checks: list[str] = []
    real = services.check_password_hash

    def counting(stored: str, secret: str) -> bool:
        checks.append(stored.split("$", 1)[0])
        return real(stored, secret)

    monkeypatch.setattr(services, "check_password_hash", counting)
    identifier = "E5999" if kind == "unknown" else "E5001"
    assert client.sign_in(identifier, "000000").status_code == 422
    assert checks == [production_method]


def test_demo_people_each_have_their_own_hash_and_only_the_secret_they_use(app, db):
    from portal.roles import Role

    result = app.test_cli_runner().invoke(args=["seed-demo"], catch_exceptions=False)
    assert "demo data people: loaded" in result.output
    people = list(db.session.scalars(select(User)))
    assert len(people) > 50
    hashes = [h for u in people for h in (u.pin_hash, u.password_hash) if h]
    assert len(hashes) == len(set(hashes)) == len(people)  # one each, no salt shared
    for user in people:
        if Role(user.role).uses_pin:
            assert user.pin_hash and user.password_hash is None, user.staff_no
        else:
            assert user.password_hash and user.pin_hash is None, user.staff_no
