"""Demo SOP library: the eight SOPs of demo_sops.json, with history, reviews and readers.

demo_sops.json is plain data: bilingual (English / Simplified Chinese) SOPs. Each entry
describes the current version of one SOP; entries with a "versions" list also carry the
previous version (its steps and a change summary).

Two scenes follow the library's language rules: FO-003 version 1.0, approved before both
languages were required, has no Chinese for step 8's note (its page and its prints show the
English, marked as such); and the draft 1.1 of HK-002, whose step 4 was reworded in English
only, has that step's Chinese marked "needs updating".
"""

from __future__ import annotations

import json
from datetime import timedelta
from importlib import resources

from sqlalchemy import select

from portal.blueprints.people import services as people
from portal.blueprints.people.models import User
from portal.blueprints.sops import reading, services
from portal.blueprints.sops.models import Sop, SopAcknowledgement, SopVersion, VersionStatus
from portal.database import utcnow
from portal.extensions import db
from portal.i18n import local_today
from portal.roles import Role

SPA_NUMBERS = {"FO-003", "HK-005", "SEC-001"}
DATA = "demo_sops.json"
# (SOP, step) whose note had no Chinese in the SOP's first version, approved before the rule.
UNTRANSLATED_FIRST_ISSUE = ("FO-003", 8)


def demo_sops() -> list[dict]:
    """The demo library, in the order it is seeded."""
    text = resources.files(__package__).joinpath(DATA).read_text(encoding="utf-8")
    return json.loads(text)


def _data(spec: dict, summary_from: dict) -> services.VersionData:
    return services.VersionData(
        **{key: spec.get(key, "") for key in services.TEXT_FIELDS if "change" not in key},
        change_summary_en=summary_from.get("change_summary_en", ""),
        change_summary_zh=summary_from.get("change_summary_zh", ""),
        steps=[
            services.StepData(
                s["text_en"],
                s["text_zh"],
                s.get("note_en", ""),
                s.get("note_zh", ""),
                s.get("kind", "step"),
                bool(s.get("key_point")),
            )
            for s in spec["steps"]
        ],
    )


def _approve_back_dated(
    version: SopVersion, approver: User, effective, review, *, before_the_rules: bool = False
) -> None:
    """Demo history: an approval that happened in the past (`before_the_rules`: before both
    languages were required, so it is not checked against them)."""
    if before_the_rules:
        version.status = VersionStatus.IN_REVIEW
        version.submitted_at = utcnow()
    else:
        services.submit_for_review(version, by=version.author)
    version.status = VersionStatus.APPROVED
    version.approver = approver
    version.approved_at = utcnow() - timedelta(days=(local_today() - effective).days + 2)
    version.effective_date = effective
    version.review_date = review
    db.session.flush()


def seed_sops() -> bool:
    if db.session.scalar(select(Sop.id).limit(1)):
        return False
    today = local_today()
    library = demo_sops()
    for prop in people.list_properties():
        staff = list(db.session.scalars(people.people_at(prop.id, active=None)))
        # HR writes; where a property has no HR, the group admin does. A manager approves.
        writer = next((p for p in staff if p.role == Role.HR), None) or db.session.scalar(
            select(User).where(User.role == Role.ADMIN).order_by(User.id).limit(1)
        )
        approver = next(p for p in staff if p.role == Role.MANAGER)
        departments = {d.code: d for d in people.property_departments(prop.id)}
        specs = (
            library if prop.code == "HTL" else [s for s in library if s["number"] in SPA_NUMBERS]
        )
        for index, spec in enumerate(specs):
            old = spec.get("versions", [])
            first_spec = {**spec, **old[0]} if old else spec
            first_data = _data(
                first_spec, {"change_summary_en": "First issue.", "change_summary_zh": "首次发布。"}
            )
            untranslated = spec["number"] == UNTRANSLATED_FIRST_ISSUE[0] and prop.code == "HTL"
            if untranslated:
                first_data.steps[UNTRANSLATED_FIRST_ISSUE[1] - 1].note_zh = ""
            first = services.create_sop(
                property_id=prop.id,
                department_id=departments[spec["department"]].id,
                number=spec["number"],
                author=writer,
                data=first_data,
                yearly_ack=spec["number"].startswith("SEC"),
            )
            started = today - timedelta(days=300 - 20 * index)
            review = started + timedelta(days=365)
            if spec["number"] == "HK-004":
                review = today - timedelta(days=35)  # a review that is overdue
            _approve_back_dated(first, approver, started, review, before_the_rules=untranslated)
            current = first
            if old:
                major = spec["current_version"].endswith(".0")
                current = services.new_version(first.sop, by=writer, major=major)
                services.update_draft(current, _data(spec, spec), by=writer)
                since = today - timedelta(days=30)
                _approve_back_dated(current, approver, since, since + timedelta(days=365))
            _acknowledge_some(first.sop, first, current, index)
        if prop.code == "HTL":
            fb = db.session.scalar(
                select(Sop).where(Sop.property_id == prop.id, Sop.number == "FB-002")
            )
            draft = services.new_version(fb, by=writer, major=False)
            draft.change_summary_en = "Adds the fridge temperature log to step 4."
            draft.change_summary_zh = "在第 4 步中增加冰箱温度记录。"
            services.submit_for_review(draft, by=writer)
            _reword_in_english_only(prop.id, writer)
    return True


def _reword_in_english_only(property_id: int, writer: User) -> None:
    """HK-002 1.1 being written: step 4 reworded in English, its Chinese not yet."""
    sop = db.session.scalar(
        select(Sop).where(Sop.property_id == property_id, Sop.number == "HK-002")
    )
    draft = services.new_version(sop, by=writer, major=False)
    steps = [
        services.StepData(
            s.text_en, s.text_zh, s.note_en, s.note_zh, s.kind, s.key_point, origin=s.id
        )
        for s in draft.steps
    ]
    steps[
        3
    ].text_en = "Note how much of each item the guest has used, and anything missing or damaged."
    data = services.VersionData(
        **{name: getattr(draft, name) for name in services.TEXT_FIELDS},
        steps=steps,
    )
    data.change_summary_en = "Step 4 also asks to note items missing or damaged."
    data.change_summary_zh = "第 4 步增加记录缺失或损坏物品的要求。"
    services.update_draft(draft, data, by=writer)


def _acknowledge_some(sop: Sop, first: SopVersion, current: SopVersion, index) -> None:
    """About two thirds of the audience read the version they were given."""
    audience = reading.audience_people(sop)
    for n, person in enumerate(audience):
        if (n + index) % 3 == 2:
            continue
        version = first if (current.id != first.id and n % 2 == 0) else current
        db.session.add(
            SopAcknowledgement(
                sop_id=sop.id,
                version_id=version.id,
                version_key=version.version_key,
                user_id=person.id,
                acknowledged_at=utcnow()
                - timedelta(days=25 if version is current else 200, hours=n),
            )
        )
    db.session.flush()
