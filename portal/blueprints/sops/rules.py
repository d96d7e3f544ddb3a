"""The SOP library's rules, each written once, in the SQL that every list and count composes.

- in force: the approved version with the latest effective date on or before today, unless the
  SOP is retired (current_versions_subquery, current_version, stage_of);
- the baseline: the oldest version whose acknowledgement still counts, that is the latest
  version in force so far that was not a minor edit (baseline_subquery);
- an acknowledgement still counts when it is of the baseline or later and, for an SOP read
  again every year, was made in the last 365 days of the property's calendar (still_counts,
  acknowledged);
- who is in the audience: a person whose department and role one of the SOP's audience rows
  names, an empty department or role meaning every one (in_audience).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from portal.blueprints.sops.models import (
    Sop,
    SopAcknowledgement,
    SopAudience,
    SopVersion,
    Stage,
    VersionStatus,
)
from portal.extensions import db
from portal.i18n import local_day_start, local_today

# A yearly acknowledgement made on local day D counts on D and the 364 days after; on the
# anniversary (D + 365) the person is asked to read the SOP again.
YEARLY_DAYS = 365


# --- the version in force -----------------------------------------------------------------------
def current_versions_subquery(today: date | None = None):
    """(sop_id, version_id) of the version in force for every SOP: the approved version with
    the latest effective date on or before today (the highest number on a tie)."""
    today = today or local_today()
    ranked = (
        select(
            SopVersion.sop_id.label("sop_id"),
            SopVersion.id.label("version_id"),
            func.row_number()
            .over(
                partition_by=SopVersion.sop_id,
                order_by=(SopVersion.effective_date.desc(), SopVersion.version_key.desc()),
            )
            .label("rank"),
        )
        .join(Sop, Sop.id == SopVersion.sop_id)
        .where(
            SopVersion.status == VersionStatus.APPROVED,
            SopVersion.effective_date <= today,
            or_(Sop.retired_on.is_(None), Sop.retired_on > today),
        )
        .subquery()
    )
    return select(ranked.c.sop_id, ranked.c.version_id).where(ranked.c.rank == 1).subquery()


def current_version(sop: Sop, today: date | None = None) -> SopVersion | None:
    current = current_versions_subquery(today)
    return db.session.scalar(
        select(SopVersion)
        .join(current, current.c.version_id == SopVersion.id)
        .where(current.c.sop_id == sop.id)
        .options(selectinload(SopVersion.steps))
    )


def stage_of(version: SopVersion, today: date | None = None) -> Stage:
    today = today or local_today()
    sop = version.sop
    if sop.retired_on is not None and sop.retired_on <= today:
        return Stage.RETIRED
    if version.status == VersionStatus.DRAFT:
        return Stage.DRAFT
    if version.status == VersionStatus.IN_REVIEW:
        return Stage.IN_REVIEW
    if version.effective_date is None or version.effective_date > today:
        return Stage.SCHEDULED
    current = current_version(sop, today)
    return Stage.EFFECTIVE if current and current.id == version.id else Stage.SUPERSEDED


# --- the acknowledgement baseline ---------------------------------------------------------------
def baseline_subquery(today: date | None = None):
    """(sop_id, baseline_key) for the SOPs in force: what an acknowledgement must be at least.

    The latest approved version up to the one in force that was not a minor edit (minor edits do
    not ask everyone again); the version in force itself when there is none."""
    current = current_versions_subquery(today)
    cur = (
        select(SopVersion.sop_id, SopVersion.version_key)
        .join(current, current.c.version_id == SopVersion.id)
        .subquery()
    )
    major = (
        select(SopVersion.sop_id, func.max(SopVersion.version_key).label("key"))
        .join(cur, cur.c.sop_id == SopVersion.sop_id)
        .where(
            SopVersion.status == VersionStatus.APPROVED,
            SopVersion.minor_edit.is_(False),
            SopVersion.version_key <= cur.c.version_key,
        )
        .group_by(SopVersion.sop_id)
        .subquery()
    )
    return (
        select(
            cur.c.sop_id.label("sop_id"),
            func.coalesce(major.c.key, cur.c.version_key).label("baseline_key"),
        )
        .outerjoin(major, major.c.sop_id == cur.c.sop_id)
        .subquery()
    )


# --- an acknowledgement still counts ------------------------------------------------------------
def yearly_cutoff(today: date) -> datetime:
    """The first moment (UTC) of the oldest local day whose yearly acknowledgement still counts."""
    return local_day_start(today - timedelta(days=YEARLY_DAYS - 1))


def still_counts(ack, baseline_key, yearly, today: date):
    """SQL: the acknowledgement row `ack` (SopAcknowledgement or an alias) still counts, given
    the columns of the SOP's baseline key and of its yearly flag."""
    return and_(
        ack.version_key >= baseline_key,
        or_(yearly.is_(False), ack.acknowledged_at >= yearly_cutoff(today)),
    )


def acknowledged(user_id, sop_id, baseline_key, yearly, today: date):
    """SQL: the person `user_id` (a column or a value) holds an acknowledgement of the SOP
    `sop_id` that still counts; `baseline_key` and `yearly` are columns, as for still_counts."""
    return exists(
        select(SopAcknowledgement.id).where(
            SopAcknowledgement.sop_id == sop_id,
            SopAcknowledgement.user_id == user_id,
            still_counts(SopAcknowledgement, baseline_key, yearly, today),
        )
    )


# --- who is in the audience ---------------------------------------------------------------------
def in_audience(department_id, role, sop_id=Sop.id):
    """SQL: the SOP's audience names a person of this department and role (columns or values)."""
    return exists(
        select(SopAudience.id).where(
            SopAudience.sop_id == sop_id,
            or_(SopAudience.department_id.is_(None), SopAudience.department_id == department_id),
            or_(SopAudience.role.is_(None), SopAudience.role == role),
        )
    )
