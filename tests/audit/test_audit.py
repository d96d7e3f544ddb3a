"""The audit trail: append-only, hash-chained, checkpointed, filtered, exported."""

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from portal import audit
from portal.audit import AuditEvent
from portal.database import utcnow
from tests import factories
from tests.conftest import text_of


def _record_some(n=5):
    person = factories.person("employee")
    events = [
        audit.record("test.event", person, actor=None, summary=f"change {i}") for i in range(n)
    ]
    return person, events


def _tamper(db, sql, **params):
    """Change rows behind the portal's back (the append-only triggers are set aside)."""
    with audit.append_only_suspended(db.session.connection()):
        db.session.execute(text(sql), params)


@pytest.fixture(autouse=True)
def head_file(app, tmp_path, monkeypatch):
    """Each test keeps its own signed checkpoint (the session's instance folder stays clean)."""
    path = tmp_path / "audit-head.json"
    monkeypatch.setitem(app.config, "AUDIT_HEAD_PATH", str(path))
    return path


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["audit", *args])


def test_rows_chain_and_verify(ctx, db):
    _person, events = _record_some()
    assert events[1].prev_hash == events[0].row_hash
    result = audit.verify()
    assert result.first_bad_id is None and result.checked >= 5


def test_an_edited_row_is_reported(ctx, db):
    _person, events = _record_some()
    _tamper(
        db, "UPDATE audit_events SET summary = 'nothing happened' WHERE id = :id", id=events[2].id
    )
    db.session.expire_all()
    result = audit.verify()
    assert result.first_bad_id == events[2].id
    assert "does not match" in result.reason


def test_a_deleted_row_is_reported(ctx, db):
    _person, events = _record_some()
    _tamper(db, "DELETE FROM audit_events WHERE id = :id", id=events[2].id)
    db.session.expire_all()
    assert audit.verify().first_bad_id == events[3].id


def test_the_database_refuses_changes(ctx, db):
    _person, events = _record_some(2)
    for sql in (
        "UPDATE audit_events SET summary = 'x' WHERE id = :id",
        "DELETE FROM audit_events WHERE id = :id",
    ):
        nested = db.session.begin_nested()
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(sql), {"id": events[0].id})
        nested.rollback()
    db.session.expire_all()
    assert db.session.get(AuditEvent, events[0].id).summary == "change 0"


def test_cli_verify_reports_intact_and_tampered(app, ctx, db):
    _person, events = _record_some(3)
    assert _cli(app, "checkpoint").exit_code == 0
    ok = _cli(app, "verify")
    assert ok.exit_code == 0 and "audit trail intact" in ok.output
    _tamper(db, "UPDATE audit_events SET action = 'forged' WHERE id = :id", id=events[1].id)
    db.session.expire_all()
    bad = _cli(app, "verify")
    assert bad.exit_code == 1
    assert f"TAMPERED at row {events[1].id}" in bad.output


def test_removed_newest_rows_are_reported_as_truncation(app, ctx, db, head_file):
    _person, events = _record_some(5)
    newest, cut = events[-1].id, events[3].id
    taken = _cli(app, "checkpoint")
    assert taken.exit_code == 0, taken.output
    assert json.loads(head_file.read_text())["last_id"] == newest
    # The chain of what is left is sound: only the signed head can tell.
    _tamper(db, "DELETE FROM audit_events WHERE id >= :id", id=cut)
    db.session.expire_all()
    assert audit.verify(None).first_bad_id is None
    result = audit.verify()
    assert result.first_bad_id == newest and "truncated" in result.reason
    bad = _cli(app, "verify")
    assert bad.exit_code == 1 and "truncated" in bad.output
    assert json.loads(head_file.read_text())["last_id"] == newest  # not moved back


def test_a_rewritten_chain_is_reported(app, ctx, db):
    _person, events = _record_some(5)
    assert _cli(app, "checkpoint").exit_code == 0
    # Edit a middle row and recompute every later hash, as someone with the code could.
    _tamper(
        db, "UPDATE audit_events SET summary = 'nothing happened' WHERE id = :id", id=events[2].id
    )
    db.session.expire_all()
    rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    prev = audit.GENESIS
    for row in rows:
        if row.id >= events[2].id:
            new_hash = audit._digest(prev, row)
            _tamper(
                db,
                "UPDATE audit_events SET prev_hash = :prev, row_hash = :hash WHERE id = :id",
                prev=prev,
                hash=new_hash,
                id=row.id,
            )
            prev = new_hash
        else:
            prev = row.row_hash
    db.session.expire_all()
    assert audit.verify(None).first_bad_id is None  # the chain alone is fooled
    result = audit.verify()
    assert result.first_bad_id == events[-1].id and "rewritten" in result.reason
    bad = _cli(app, "verify")
    assert bad.exit_code == 1 and "rewritten" in bad.output


def test_a_forged_or_missing_checkpoint_is_reported(app, ctx, db, head_file):
    _person, events = _record_some(3)
    missing = _cli(app, "verify")
    assert missing.exit_code == 1 and "CHECKPOINT MISSING" in missing.output
    assert not head_file.exists()  # verify never starts one by itself
    assert _cli(app, "checkpoint").exit_code == 0
    # Someone removes the newest row and writes a checkpoint to match, without the key.
    _tamper(db, "DELETE FROM audit_events WHERE id = :id", id=events[-1].id)
    db.session.expire_all()
    forged = json.loads(head_file.read_text())
    forged.update(last_id=events[-2].id, last_hash=events[-2].row_hash, count=forged["count"] - 1)
    head_file.write_text(json.dumps(forged))
    result = audit.verify()
    assert result.head == "bad" and "not signed" in result.head_problem
    bad = _cli(app, "verify")
    assert bad.exit_code == 1 and "CHECKPOINT FORGED OR DAMAGED" in bad.output
    refused = _cli(app, "checkpoint")
    assert refused.exit_code == 1 and "--replace" in refused.output
    head_file.write_text("{not json")
    assert "not readable" in audit.verify().head_problem
    # After a restore (or a new SECRET_KEY) the operator starts over on purpose.
    assert _cli(app, "checkpoint", "--replace").exit_code == 0
    assert _cli(app, "verify").exit_code == 0


def test_normal_writes_after_a_checkpoint_stay_intact(app, ctx, db, head_file):
    _record_some(3)
    assert _cli(app, "checkpoint").exit_code == 0
    _person, later = _record_some(2)
    ok = _cli(app, "verify")
    assert ok.exit_code == 0 and "audit trail intact" in ok.output, ok.output
    head = json.loads(head_file.read_text())  # and the checkpoint moved to the newest row
    assert (head["last_id"], head["last_hash"]) == (later[-1].id, later[-1].row_hash)
    audit.record("test.event", actor=None, summary="one more")
    assert audit.verify().intact


def test_summaries_of_sign_in_never_hold_secrets(client, db):
    person = factories.person("employee")
    assert client.sign_in(person.staff_no, factories.PIN).status_code == 303
    client.post_form("/auth/logout")
    assert client.sign_in(person.staff_no, "000111").status_code == 422
    rows = db.session.execute(
        select(AuditEvent.action, AuditEvent.summary).where(
            AuditEvent.object_type == "users", AuditEvent.object_id == person.id
        )
    ).all()
    actions = [action for action, _summary in rows]
    assert "auth.sign_in" in actions and "auth.sign_in_failed" in actions  # both were recorded
    summaries = " ".join(summary for _action, summary in rows)
    assert factories.PIN not in summaries and "000111" not in summaries


def test_audit_list_filters_by_who_acted_whom_and_kind_and_stays_in_the_property(
    client, db, login_as
):
    hr = login_as("hr")
    colleague = factories.person("employee", name_en="Audit Subject", staff_no="E5501")
    doer = factories.person("supervisor", name_en="Busy Doer", staff_no="S5502")
    audit.record("test.visible", colleague, actor=doer, summary="seen by hr")
    audit.record("test.by_subject", doer, actor=colleague, summary="the subject acted")
    terminal, _key = factories.terminal(prop=hr.property, name="Kiosk 3")
    audit.record("test.terminal", terminal, actor=hr, summary="on a terminal")
    spa = factories.property_("SPX")
    stranger = factories.person("employee", prop=spa)
    audit.record("test.hidden", stranger, actor=None, summary="other property")
    db.session.commit()
    body = text_of(client.get("/audit/"))
    assert "test.visible" in body and "test.hidden" not in body
    assert f"{hr.name_en} {hr.staff_no} Signed in" in body  # HR's own sign-in, before any filter
    done_to = text_of(client.get("/audit/?subject=Audit+Subject"))
    assert "test.visible" in done_to and "test.by_subject" not in done_to
    assert "Signed in" not in done_to
    done_by = text_of(client.get("/audit/?actor=E5501"))  # by staff number
    assert "test.by_subject" in done_by and "test.visible" not in done_by
    by_doer = text_of(client.get("/audit/?actor=busy"))
    assert "test.visible" in by_doer and "test.by_subject" not in by_doer
    terminals = text_of(client.get("/audit/?object_type=terminals"))
    assert "test.terminal" in terminals and "test.visible" not in terminals
    assert "Terminal #" in terminals
    by_object = text_of(client.get(f"/audit/?object_type=users&object_id={colleague.id}"))
    assert "test.visible" in by_object and "Signed in" not in by_object
    assert "Person Audit Subject E5501" in by_object  # the person acted on, by name
    asked_for = text_of(client.get(f"/audit/?object_type=users&object_id={stranger.id}"))
    assert "test.hidden" not in asked_for and "No events match these filters." in asked_for


def test_the_kind_of_record_is_chosen_in_words_from_the_modules(client, db, login_as):
    login_as("hr")
    html = client.get("/audit/").get_data(as_text=True)
    kinds = re.search(r'<select[^>]*name="object_type".*?</select>', html, re.S).group(0)
    offered = dict(re.findall(r'<option[^>]*value="([a-z_]*)"[^>]*>([^<]+)</option>', kinds))
    assert offered[""] == "Every kind"
    assert {"users": "Person", "sops": "SOP", "terminals": "Terminal"}.items() <= offered.items()
    assert offered["job_titles"] == "Job title"
    refused = client.get("/audit/?object_type=pg_catalog")
    assert refused.status_code == 422 and "Not a valid choice." in text_of(refused)


def test_details_read_in_the_readers_language_and_the_row_stays_as_written(client, db, login_as):
    hr = login_as("hr", name_en="Helen Audit")
    person = factories.person("employee", name_en="Lang Person")
    event = audit.record(
        "user.language_changed", person, actor=person, summary="locale: None -> zh_Hans"
    )
    audit.record(
        "person.updated",
        person,
        actor=hr,
        summary=(
            "role: employee -> supervisor; supervises: [] -> ['FO', 'HK']; department: HK -> FO"
        ),
    )
    db.session.commit()
    english = text_of(client.get(f"/audit/?object_type=users&object_id={person.id}"))
    assert "Language: As the browser says → 简体中文" in english
    assert "Access role: Employee → Supervisor" in english
    assert "Supervises: — → Front Office, Housekeeping" in english
    assert "Department: Housekeeping → Front Office" in english
    assert "locale:" not in english and "None" not in english
    client.post_form("/auth/language", {"locale": "zh_Hans"})
    chinese = text_of(client.get(f"/audit/?object_type=users&object_id={person.id}"))
    assert "语言: 跟随浏览器设置 → 简体中文" in chinese
    assert "分管部门: — → 前厅部、客房部" in chinese
    assert "权限角色: 员工 → 主管" in chinese
    db.session.refresh(event)
    assert event.summary == "locale: None -> zh_Hans"  # stored as it was
    assert audit.verify(None).first_bad_id is None


def test_audit_list_filters_by_local_dates(client, db, login_as):
    hr = login_as("hr")
    today = utcnow().date()
    with time_machine.travel(utcnow() - timedelta(days=10), tick=False):
        audit.record("test.old", actor=None, summary="old", property_id=hr.property_id)
    db.session.commit()
    recent = text_of(client.get(f"/audit/?date_from={today - timedelta(days=2)}"))
    assert "test.old" not in recent and "Signed in" in recent
    older = text_of(client.get(f"/audit/?date_to={today - timedelta(days=5)}"))
    assert "test.old" in older and "Signed in" not in older


def test_bad_filters_say_so_and_answer_422(client, db, login_as):
    login_as("hr")
    response = client.get("/audit/?date_from=2026-11-20&date_to=2026-11-01&object_id=-3")
    assert response.status_code == 422
    body = text_of(response)
    assert "The end date is before the start date." in body
    assert "Enter a positive number." in body


def test_audit_list_is_paginated_with_fixed_queries(client, db, login_as, count_queries):
    hr = login_as("hr")
    for i in range(30):
        audit.record(
            "test.bulk", hr, summary=f"department: HK -> FO; job_title: {i} -> -", actor=hr
        )
    db.session.commit()
    client.get("/audit/")
    with count_queries() as few:
        client.get("/audit/")
    for i in range(60):
        other = factories.person("employee")
        summary = f"department: HK -> FO; job_title: - -> {i}"
        audit.record("test.bulk", other, summary=summary, actor=other)
    db.session.commit()
    with count_queries() as many:
        page = client.get("/audit/")
    # 25 different actors and people acted on, departments and titles named: the same queries
    assert few.count == many.count, many.statements
    assert "Page 1 of" in text_of(page)


def test_csv_export_has_readable_rows_local_times_and_defuses_formulas(client, db, login_as):
    hr = login_as("hr")
    audit.record("test.csv", hr, actor=hr, summary='=HYPERLINK("http://x")')
    audit.record("person.updated", hr, actor=hr, summary="locale: en -> zh_Hans")
    with time_machine.travel(datetime(2026, 7, 1, 23, 30, tzinfo=UTC), tick=False):
        audit.record("auth.sign_in", hr, actor=hr, summary="terminal")
    db.session.commit()
    response = client.get("/audit/export.csv?object_type=users")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    header = rows[0]
    assert header[:3] == ["Number", "Local time (Asia/Shanghai)", "Time (UTC)"]
    code = header.index("Action code")
    as_recorded = {row[-3]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    by_action = {row[code]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert header[-3] == "Details as recorded"
    sign_in = as_recorded["terminal"]
    assert sign_in["Action"] == "Signed in"
    assert sign_in["Local time (Asia/Shanghai)"] == "2026-07-02 07:30:00+08:00"
    assert sign_in["Time (UTC)"] == "2026-07-01T23:30:00+00:00"
    assert sign_in["Details"] == "On a shared terminal"
    assert sign_in["Details as recorded"] == "terminal"
    assert sign_in["Kind of record"] == "Person"
    assert sign_in["Person acted on"] == f"{hr.name_en} ({hr.staff_no})"
    changed = by_action["person.updated"]
    assert changed["Action"] == "Person changed"
    assert changed["Details"] == "Language: English → 简体中文"
    assert by_action["test.csv"]["Details as recorded"].startswith("'=HYPERLINK")
    assert by_action["test.csv"]["Details"].startswith("'=HYPERLINK")
    exported = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "audit.exported")
    )
    assert exported == 1


def test_csv_headers_and_names_follow_the_readers_language(client, db, login_as):
    login_as("hr", locale="zh_Hans")
    body = client.get("/audit/export.csv").get_data(as_text=True)
    header = next(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert header[:3] == ["编号", "本地时间（Asia/Shanghai）", "时间（UTC）"]
    assert "已登录" in body  # the sign-in's action, in Chinese
