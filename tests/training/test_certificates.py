"""Certificates: HR records them (bad input refused next to the field, nothing written), the
newest of a person and programme decides their standing, the lists and cards show what runs
out within 60 days or has expired, each to those who may see it."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.blueprints.training import certificates, compliance
from portal.blueprints.training.compliance import Status
from portal.blueprints.training.models import Certificate
from portal.errors import DomainError
from portal.i18n import local_today
from tests import factories
from tests.conftest import text_of
from tests.training import helpers
from tests.training.test_compliance import backdate, took


def holder(prop, dept="HK", **kw):
    return factories.person(
        "employee", prop=prop, dept=dept, hire_date=date.today() - timedelta(800), **kw
    )


def data(person, programme, *, issued_days_ago=300, valid_days=365, **kw):
    today = local_today()
    return certificates.CertificateData(
        staff_no=person.staff_no,
        programme_id=programme.id,
        number=kw.get("number", "FA-2026-0117"),
        issuer=kw.get("issuer", "City Red Cross"),
        issued_on=today - timedelta(days=issued_days_ago),
        expires_on=today - timedelta(days=issued_days_ago) + timedelta(days=valid_days),
    )


@pytest.fixture
def hotel(ctx):
    return factories.property_()


def test_the_newest_certificate_decides_the_standing(hotel):
    hr = factories.person("hr", prop=hotel, dept="HR")
    first_aid = helpers.programme(
        hotel, by=hr, title_en="First aid", roles=["employee"], cadence="once", pass_mark=None
    )
    backdate(first_aid, 900)
    person = holder(hotel)
    took(first_aid, person, days_ago=700)  # once, long ago: done for good by the courses
    assert compliance.standings(hr)[person.id, first_aid.id].status is Status.DONE
    certificates.record(hotel.id, data(person, first_aid, issued_days_ago=700), by=hr)
    cell = compliance.standings(hr)[person.id, first_aid.id]
    assert cell.status is Status.OVERDUE  # the certificate ran out 335 days ago
    certificates.record(hotel.id, data(person, first_aid, issued_days_ago=330), by=hr)
    renewed = compliance.standings(hr)[person.id, first_aid.id]
    assert renewed.status is Status.DUE_SOON  # 35 days left: within the 60-day warning
    assert renewed.due_on == local_today() + timedelta(days=35)
    certificates.record(hotel.id, data(person, first_aid, issued_days_ago=10), by=hr)
    assert compliance.standings(hr)[person.id, first_aid.id].status is Status.DONE
    assert db_count(Certificate) == 3
    assert db_count(AuditEvent, AuditEvent.action == "training.certificate_recorded") == 3


def db_count(model, *where):
    from portal.extensions import db

    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"staff_no": "NOBODY"}, "staff_no"),
        ({"issued_on": date.today() + timedelta(days=5)}, "issued_on"),
        ({"expires_on": date.today() - timedelta(days=400)}, "expires_on"),
        ({"expires_on": date.today() + timedelta(days=4000)}, "expires_on"),
    ],
)
def test_bad_certificates_are_refused_next_to_the_field(hotel, change, field):
    hr = factories.person("hr", prop=hotel, dept="HR")
    programme = helpers.programme(hotel, by=hr)
    entered = data(holder(hotel), programme)
    for key, value in change.items():
        setattr(entered, key, value)
    with pytest.raises(DomainError) as refused:
        certificates.record(hotel.id, entered, by=hr)
    assert refused.value.field == field
    assert db_count(Certificate) == 0


def test_no_certificate_for_another_propertys_person_or_programme(hotel):
    hr = factories.person("hr", prop=hotel, dept="HR")
    away = factories.property_("OTH")
    theirs = helpers.programme(away)
    stranger = holder(away)
    with pytest.raises(DomainError, match="No one with this staff number"):
        certificates.record(hotel.id, data(stranger, helpers.programme(hotel, by=hr)), by=hr)
    with pytest.raises(DomainError, match="programme of this property"):
        certificates.record(hotel.id, data(holder(hotel), theirs), by=hr)


def test_hr_records_one_on_the_page_and_bad_input_stays_in_the_form(client, db, login_as):
    hr = login_as("hr", dept="HR")
    programme = helpers.programme(hr.property, by=hr, title_en="Food hygiene")
    person = holder(hr.property, name_en="Ana Holder")
    db.session.commit()
    today = local_today()
    form = {
        "staff_no": person.staff_no.lower(),
        "programme_id": str(programme.id),
        "number": "FH-88",
        "issuer": "District health office",
        "issued_on": (today - timedelta(days=20)).isoformat(),
        "expires_on": (today - timedelta(days=30)).isoformat(),
        "idempotency_key": "certificate-form-key-0001",
    }
    refused = client.post_form("/training/certificates/new", form, htmx=True)
    assert 'id="expires_on-error"' in refused.get_data(as_text=True)
    assert "The expiry date must be after the date of issue." in text_of(refused)
    assert db.session.scalar(select(Certificate.id)) is None
    form["expires_on"] = (today + timedelta(days=40)).isoformat()
    form["idempotency_key"] = "certificate-form-key-0002"
    saved = client.post_form("/training/certificates/new", form)
    assert saved.status_code == 303
    assert "Certificate saved for Ana Holder." in text_of(client.get(saved.headers["Location"]))
    listed = text_of(client.get("/training/certificates"))
    assert "Ana Holder" in listed and "FH-88" in listed and "Food hygiene" in listed
    assert "Certificates to renew" in text_of(client.get("/"))


def test_each_sees_their_own_scope(client, db, login_as):
    employee = login_as("employee", dept="HK")
    hr = factories.person("hr", prop=employee.property, dept="HR")
    programme = helpers.programme(employee.property, by=hr, title_en="Fire warden")
    colleague = holder(employee.property, name_en="Other Colleague")
    certificates.record(employee.property_id, data(employee, programme, issued_days_ago=330), by=hr)
    certificates.record(employee.property_id, data(colleague, programme), by=hr)
    db.session.commit()
    mine = text_of(client.get("/training/certificates?show=all"))
    assert employee.name_en in mine and "Other Colleague" not in mine
    home = text_of(client.get("/"))
    assert "Certificates to renew" in home and "Expiring within 60 days" in home
    assert client.get("/training/certificates/new").status_code == 403
