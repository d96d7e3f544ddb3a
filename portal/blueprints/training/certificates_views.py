"""Certificates: the list of what expires soon (or has expired) in the viewer's scope, and
HR recording a new certificate."""

from __future__ import annotations

from flask import flash, request, url_for
from flask_login import current_user

from portal.blueprints.training import bp, certificates, services
from portal.blueprints.training.compliance import CERTIFICATE_WARNING_DAYS
from portal.blueprints.training.forms import CertificateForm
from portal.blueprints.training.permissions import can_list_certificates, can_record_certificate
from portal.errors import DomainError
from portal.htmx import redirect_to, render, render_form
from portal.i18n import gettext as _
from portal.i18n import local_today
from portal.pagination import paginate
from portal.security import require
from portal.submit import create_from_form


@bp.get("/certificates")
def certificates_list():
    require(can_list_certificates)
    show = request.args.get("show", "expiring")
    show = show if show in certificates.SHOWS else "expiring"
    page = paginate(certificates.query(current_user, show))
    return render(
        "training/certificates.html",
        block="certificate_results",
        page=page,
        show=show,
        today=local_today(),
        window=CERTIFICATE_WARNING_DAYS,
        may_record=can_record_certificate(current_user),
    )


def _choices(form) -> None:
    form.programme_id.choices = [
        (p.id, p.title) for p in services.list_programmes(current_user.property_id)
    ]


@bp.route("/certificates/new", methods=["GET", "POST"])
def record_certificate():
    require(can_record_certificate)
    form = CertificateForm()
    _choices(form)
    if request.method == "POST" and form.validate():

        def add() -> str:
            made = certificates.record(
                current_user.property_id,
                certificates.CertificateData(
                    staff_no=form.staff_no.data,
                    programme_id=form.programme_id.data,
                    number=form.number.data or "",
                    issuer=form.issuer.data or "",
                    issued_on=form.issued_on.data,
                    expires_on=form.expires_on.data,
                ),
                by=current_user,
            )
            flash(_("Certificate saved for %(name)s.", name=made.person.name), "success")
            return url_for("training.certificates_list", show="all")

        created = create_from_form(
            form, current_user, add, duplicate=lambda: DomainError(_("Reload and try again."))
        )
        if created is not None:
            return redirect_to(created.url)
    if request.method == "POST":
        return render_form("training/certificate_form.html", "certificate_form", form=form)
    return render("training/certificate_form.html", form=form)
