"""SOP life cycle, versioning and acknowledgement, without HTTP."""

from datetime import timedelta

import pytest

from portal.blueprints.sops import reading, rules, services
from portal.blueprints.sops.models import Stage, VersionStatus
from portal.errors import DomainError
from portal.i18n import local_today
from portal.roles import Role
from tests import factories


@pytest.fixture
def people(ctx, db):
    prop = factories.property_()
    return {
        "prop": prop,
        "hr": factories.person("hr", prop=prop, dept="HR"),
        "manager": factories.person("manager", prop=prop, dept="FO"),
        "other_manager": factories.person("manager", prop=prop, dept="FO"),
        "attendant": factories.person("employee", prop=prop, dept="HK"),
        "receptionist": factories.person("employee", prop=prop, dept="FO"),
    }


def test_draft_review_approve_effective(people):
    version = factories.sop(author=people["hr"], effective=False)
    assert version.status == VersionStatus.DRAFT and version.number == "1.0"
    assert rules.stage_of(version) == Stage.DRAFT
    services.submit_for_review(version, by=people["hr"])
    assert rules.stage_of(version) == Stage.IN_REVIEW
    today = local_today()
    services.approve(version, approver=people["manager"], effective_date=today)
    assert rules.stage_of(version) == Stage.EFFECTIVE
    assert version.review_date == today.replace(year=today.year + 1)
    assert rules.current_version(version.sop).id == version.id


def test_the_author_cannot_approve_their_own_draft(people):
    version = factories.sop(author=people["manager"], effective=False)
    services.submit_for_review(version, by=people["manager"])
    with pytest.raises(DomainError, match="another manager must approve"):
        services.approve(version, approver=people["manager"], effective_date=local_today())
    assert version.status == VersionStatus.IN_REVIEW


def test_only_a_manager_approves(people):
    version = factories.sop(author=people["manager"], effective=False)
    services.submit_for_review(version, by=people["manager"])
    with pytest.raises(DomainError, match="Only a manager"):
        services.approve(version, approver=people["hr"], effective_date=local_today())


def test_the_roles_that_approve_are_named_once(people, monkeypatch):
    """The approve button and the approval itself follow the same list of roles."""
    from portal.blueprints.sops import permissions

    version = factories.sop(author=people["manager"], effective=False)
    services.submit_for_review(version, by=people["manager"])
    assert not permissions.can_approve_version(people["hr"], version)
    monkeypatch.setattr(permissions, "APPROVERS", (*permissions.APPROVERS, Role.HR))
    assert permissions.can_approve_version(people["hr"], version)
    services.approve(version, approver=people["hr"], effective_date=local_today())
    assert version.status == VersionStatus.APPROVED


def test_dates_are_checked(people):
    version = factories.sop(author=people["hr"], effective=False)
    services.submit_for_review(version, by=people["hr"])
    today = local_today()
    with pytest.raises(DomainError, match="cannot be before the approval date") as error:
        services.approve(
            version, approver=people["manager"], effective_date=today - timedelta(days=1)
        )
    assert error.value.field == "effective_date"
    with pytest.raises(DomainError, match="review date must be after") as error:
        services.approve(
            version, approver=people["manager"], effective_date=today, review_date=today
        )
    assert error.value.field == "review_date"


def test_a_future_version_is_scheduled_and_takes_over_on_its_date(people):
    first = factories.sop(author=people["hr"], approver=people["manager"])
    second = services.new_version(first.sop, by=people["hr"], major=True)
    assert second.number == "2.0" and [s.text_en for s in second.steps] == [
        s.text_en for s in first.steps
    ]
    services.submit_for_review(second, by=people["hr"])
    start = local_today() + timedelta(days=7)
    services.approve(second, approver=people["manager"], effective_date=start)
    assert rules.stage_of(second) == Stage.SCHEDULED
    assert rules.current_version(first.sop).id == first.id
    assert rules.stage_of(second, today=start) == Stage.EFFECTIVE
    assert rules.stage_of(first, today=start) == Stage.SUPERSEDED


def test_approved_versions_are_frozen(people):
    version = factories.sop(author=people["hr"])
    with pytest.raises(DomainError, match="Only a draft can be changed"):
        services.update_draft(version, factories.version_data(), by=people["hr"])


def test_one_open_draft_at_a_time(people):
    version = factories.sop(author=people["hr"])
    services.new_version(version.sop, by=people["hr"], major=False)
    with pytest.raises(DomainError, match="already has a version"):
        services.new_version(version.sop, by=people["hr"], major=True)


def test_empty_steps_and_duplicate_numbers_are_refused(people):
    data = factories.version_data()
    data.steps[1].text_en = data.steps[1].text_zh = ""
    with pytest.raises(DomainError, match="Step 2 is empty"):
        services.create_sop(
            property_id=people["prop"].id,
            department_id=factories.department(people["prop"], "HK").id,
            number="HK-009",
            data=data,
            author=people["hr"],
        )
    factories.sop(number="HK-010", author=people["hr"])
    with pytest.raises(DomainError, match="already used") as error:
        factories.sop(number="HK-010", author=people["hr"])
    assert error.value.field == "number"


def test_acknowledgement_is_reset_by_a_new_version(people):
    first = factories.sop(author=people["hr"], approver=people["manager"])
    attendant = people["attendant"]
    assert [v.id for _s, v, _r in reading.pending_for(attendant)] == [first.id]
    reading.acknowledge(first.sop, first, attendant)
    assert reading.pending_for(attendant) == []
    assert reading.acknowledge(first.sop, first, attendant) is None  # once is enough
    second = services.new_version(first.sop, by=people["hr"], major=True)
    services.submit_for_review(second, by=people["hr"])
    services.approve(second, approver=people["manager"], effective_date=local_today())
    assert [v.id for _s, v, _r in reading.pending_for(attendant)] == [second.id]


def test_a_minor_edit_does_not_ask_again(people):
    first = factories.sop(author=people["hr"], approver=people["manager"])
    reading.acknowledge(first.sop, first, people["attendant"])
    minor = services.new_version(first.sop, by=people["hr"], major=False)
    data = factories.version_data(minor_edit=True, minor_edit_reason="Typo in step 2")
    with pytest.raises(DomainError, match="Say why"):
        services.update_draft(minor, factories.version_data(minor_edit=True), by=people["hr"])
    services.update_draft(minor, data, by=people["hr"])
    services.submit_for_review(minor, by=people["hr"])
    services.approve(minor, approver=people["manager"], effective_date=local_today())
    assert rules.current_version(first.sop).id == minor.id
    assert reading.pending_for(people["attendant"]) == []


def test_yearly_acknowledgement_expires(people):
    version = factories.sop(author=people["hr"], approver=people["manager"])
    version.sop.yearly_ack = True
    reading.acknowledge(version.sop, version, people["attendant"])
    assert reading.pending_for(people["attendant"]) == []
    later = local_today() + timedelta(days=400)
    assert len(reading.pending_for(people["attendant"], today=later)) == 1


def test_audience_by_department_and_role(people):
    version = factories.sop(author=people["hr"], approver=people["manager"], dept="HK")
    assert reading.pending_for(people["receptionist"]) == []  # front office: not asked
    services.set_audience(version.sop, [], ["employee"])  # every employee of the property
    assert len(reading.pending_for(people["receptionist"])) == 1
    assert reading.pending_for(people["manager"]) == []


def test_coverage_lists_who_has_and_has_not_acknowledged(people):
    version = factories.sop(author=people["hr"], approver=people["manager"], dept="HK")
    other = factories.person("employee", prop=people["prop"], dept="HK")
    reading.acknowledge(version.sop, version, people["attendant"])
    reading.remind(version.sop, other, by=people["manager"])
    rows = {r.person_id: r for r in reading.coverage(version.sop, page=0).page.items}
    assert rows[people["attendant"].id].acknowledged_at is not None
    assert rows[other.id].acknowledged_at is None and rows[other.id].reminded_at is not None


def test_search_finds_chinese_without_spaces_and_step_text(people):
    factories.sop(
        number="HK-001", author=people["hr"], title="Guest-room cleaning", title_zh="客房清洁程序"
    )
    factories.sop(
        number="FO-003",
        author=people["hr"],
        dept="FO",
        title="Complaint handling",
        title_zh="宾客投诉处理",
    )
    viewer = people["manager"]
    assert [r.sop.number for r in reading.list_sops(viewer, q="投诉")] == ["FO-003"]
    assert [r.sop.number for r in reading.list_sops(viewer, q="清洁程")] == ["HK-001"]
    assert len(reading.list_sops(viewer, q="第2步")) == 2
    assert [r.sop.number for r in reading.list_sops(viewer, q="hk-00")] == ["HK-001"]


def test_overdue_reviews(people):
    version = factories.sop(author=people["hr"], approver=people["manager"])
    later = version.review_date + timedelta(days=1)
    assert reading.overdue_reviews(people["prop"].id) == []
    assert [v.id for v in reading.overdue_reviews(people["prop"].id, today=later)] == [version.id]


def test_retired_sops_leave_the_library(people):
    version = factories.sop(author=people["hr"], approver=people["manager"])
    services.retire_sop(version.sop, by=people["manager"], on=local_today())
    assert rules.current_version(version.sop) is None
    assert rules.stage_of(version) == Stage.RETIRED
    assert reading.pending_for(people["attendant"]) == []
