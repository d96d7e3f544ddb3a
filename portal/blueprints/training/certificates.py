"""Certificates people hold for a programme (first aid, food hygiene, fire warden): HR records
them as they are issued (by the hotel's course or an outside body); the newest one of a person
and programme decides their standing in it (compliance.py). Rows are never edited: a renewal is
a new certificate."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, bindparam, exists, func, select
from sqlalchemy.orm import aliased, joinedload

from portal import audit
from portal.blueprints.people import services as people
from portal.blueprints.people.models import User
from portal.blueprints.training.compliance import CERTIFICATE_WARNING_DAYS
from portal.blueprints.training.models import Certificate, Programme
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import gettext as _
from portal.i18n import local_today

LONGEST = timedelta(days=366 * 10)  # no certificate is valid for longer than ten years
SHOWS = ("expiring", "expired", "all")


@dataclass
class CertificateData:
    staff_no: str
    programme_id: int
    number: str
    issuer: str
    issued_on: date
    expires_on: date


def record(property_id: int, data: CertificateData, *, by: User) -> Certificate:
    person = db.session.scalar(
        people.people_in_scope(by).where(
            User.property_id == property_id, User.staff_no == data.staff_no.strip().upper()
        )
    )
    if person is None:
        raise DomainError(_("No one with this staff number works here."), "staff_no")
    programme = db.session.get(Programme, data.programme_id)
    if programme is None or programme.property_id != property_id:
        raise DomainError(_("Choose a programme of this property."), "programme_id")
    today = local_today()
    if data.issued_on > today:
        raise DomainError(_("A certificate cannot be issued in the future."), "issued_on")
    if data.expires_on <= data.issued_on:
        raise DomainError(_("The expiry date must be after the date of issue."), "expires_on")
    if data.expires_on - data.issued_on > LONGEST:
        raise DomainError(_("No certificate is valid for more than ten years."), "expires_on")
    certificate = Certificate(
        property_id=property_id,
        person_id=person.id,
        programme_id=programme.id,
        number=data.number.strip()[:60],
        issuer=data.issuer.strip()[:120],
        issued_on=data.issued_on,
        expires_on=data.expires_on,
        recorded_by_id=by.id,
    )
    db.session.add(certificate)
    db.session.flush()
    audit.record(
        "training.certificate_recorded",
        certificate,
        actor=by,
        property_id=property_id,
        summary=f"person={person.staff_no} programme={programme.id} "
        f"issued={data.issued_on.isoformat()} expires={data.expires_on.isoformat()}",
    )
    return certificate


@functools.cache
def newest():
    """SQL: the certificate is the newest of its person and programme (a renewal replaces).
    Built once: a new alias per request cost the manager's home page a quarter of its time."""
    later = aliased(Certificate, name="later_certificate")
    return ~exists().where(
        later.person_id == Certificate.person_id,
        later.programme_id == Certificate.programme_id,
        later.expires_on > Certificate.expires_on,
    )


def show_clause(show: str, today, soon=None):
    """SQL: the newest certificates expired before `today`, or expiring from it to `soon` (60
    days on by default; both may be bound parameters)."""
    soon = today + timedelta(days=CERTIFICATE_WARNING_DAYS) if soon is None else soon
    if show == "expired":
        return and_(newest(), Certificate.expires_on < today)
    if show == "expiring":
        return and_(newest(), Certificate.expires_on >= today, Certificate.expires_on <= soon)
    return None


def query(viewer: User, show: str):
    """Certificates of the people in the viewer's scope at their property, soonest expiry
    first (expiring: the newest ones running out within 60 days; expired: the newest ones past
    their date)."""
    today = local_today()
    statement = (
        select(Certificate)
        .join(User, User.id == Certificate.person_id)
        .options(joinedload(Certificate.person), joinedload(Certificate.programme))
        .where(
            Certificate.property_id == viewer.property_id,
            Certificate.person_id.in_(
                people.people_in_scope(viewer).with_only_columns(User.id).order_by(None)
            ),
        )
    )
    clause = show_clause(show, today)
    if clause is not None:
        statement = statement.where(clause)
    order = Certificate.expires_on if show != "all" else Certificate.expires_on.desc()
    return statement.order_by(order, Certificate.id)


def counts_params(viewer: User) -> tuple[str, dict]:
    """The shape and values of counts_sql for the viewer (the people service's scope shape)."""
    shape, params = people.scope_shape(viewer)
    soon = local_today() + timedelta(days=CERTIFICATE_WARNING_DAYS)
    return shape, {**params, "training_certificates_soon": soon}


def counts_sql(shape: str) -> dict:
    """{expiring, expired} as scalar SQL for the home card (read with every card's numbers),
    its values bound parameters: the scope's, the page's (card_property_id, card_today) and
    training_certificates_soon."""
    scope = people.ids_in_scope_of(shape)
    today, soon = bindparam("card_today"), bindparam("training_certificates_soon")

    def count(show):
        return (
            select(func.count(Certificate.id))
            .where(
                Certificate.property_id == bindparam("card_property_id"),
                Certificate.person_id.in_(scope),
                show_clause(show, today, soon),
            )
            .scalar_subquery()
        )

    return {"expiring": count("expiring"), "expired": count("expired")}
