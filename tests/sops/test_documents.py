"""The SOP documents' inputs: what a printed version and a binder depend on (their cache key)."""

from portal.blueprints.sops import pdf as documents
from portal.blueprints.sops import services
from portal.i18n import local_today
from tests import factories


def test_a_versions_inputs_name_what_its_pages_show(ctx, db):
    draft = factories.sop(number="HK-050", effective=False, steps=2)
    first = documents.version_document(draft, "en")
    assert first.template == "sops/pdf/sop.html"
    assert first.filename == "HK-050-v1.0-en.pdf"
    assert documents.version_document(draft, "en").inputs == first.inputs  # a reprint: cached
    assert documents.version_document(draft, "zh").inputs != first.inputs
    data = factories.version_data(steps=2)
    data.steps[0].text_en = "Knock first"
    services.update_draft(draft, data, by=draft.author)  # only a step changes
    assert documents.version_document(draft, "en").inputs != first.inputs
    assert first.context["stage"].value == "draft"


def test_a_binders_inputs_follow_its_sops(ctx, db):
    first = factories.sop(number="HK-001", steps=2)
    department = first.sop.department
    before = documents.binder_document(department, "both")
    assert before.filename == "sop-binder-HK-both.pdf"
    assert [v.id for _s, v, _stage in before.context["entries"]] == [first.id]
    second = services.new_version(first.sop, by=first.author, major=True)
    services.submit_for_review(second, by=first.author)
    services.approve(second, approver=first.approver, effective_date=local_today())
    after = documents.binder_document(department, "both")
    assert [v.id for _s, v, _stage in after.context["entries"]] == [second.id]
    assert after.inputs != before.inputs
    department.name_en = "Rooms Division"
    renamed = documents.binder_document(department, "both")
    assert renamed.inputs != after.inputs
