"""Input at the edges: out-of-range list parameters, OPTIONS and 405, invisible characters,
too many steps, and bodies without a Content-Length."""

import io
import re

import pytest
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.blueprints.people.models import JobTitle, PeopleImport, User
from portal.blueprints.sops.forms import MAX_STEPS
from portal.blueprints.sops.models import Sop
from tests import factories
from tests.conftest import text_of
from tests.sops.test_views import editor_form
from tests.test_query_counts import MODULE_LISTS

TOO_LARGE = "What you sent is too large. Send something smaller."


# --- 1. page and per_page out of range --------------------------------------------------------
OUT_OF_RANGE = [
    {"page": str(2**63)},
    {"page": "99999999999999999999"},
    {"page": "-1"},
    {"page": "0"},
    {"per_page": str(2**64)},
    {"per_page": "-5", "page": str(2**31)},
    {"page": "9" * 5000},
]


def _get_urls(app, ids: dict[str, int]) -> list[str]:
    """Every GET route of the app with its <int:...> filled in by a record that exists."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f"<int:{name}>", str(ids[name]))
        urls.append(url)
    return urls


@pytest.mark.parametrize(
    "args", OUT_OF_RANGE, ids=lambda a: ",".join(f"{k}={v[:20]}" for k, v in a.items())
)
def test_out_of_range_page_and_per_page_never_answer_500(client, db, login_as, app, args):
    admin = login_as("admin")
    for _ in range(3):
        factories.person(prop=admin.property)
    version = factories.sop(prop=admin.property)
    title = JobTitle(
        property_id=admin.property_id,
        department_id=admin.department_id,
        title_en="Room attendant",
        title_zh="客房服务员",
    )
    db.session.add(title)
    upload = PeopleImport(
        property_id=admin.property_id,
        by_id=admin.id,
        filename="staff.csv",
        rows=[{"staff_no": "Q0001", "name_en": "Row", "department": "HK"}],
    )
    db.session.add(upload)
    db.session.flush()
    ids = {
        "upload_id": upload.id,
        "person_id": admin.id,
        "user_id": admin.id,
        "sop_id": version.sop_id,
        "version_id": version.id,
        "property_id": admin.property_id,
        "title_id": title.id,
    }
    # A domain module's pages take the objects of its query-count data set: its
    # tests/<domain>/query_counts.py names which id each route argument takes.
    for listed in MODULE_LISTS:
        if hasattr(listed, "world") and hasattr(listed, "ROUTE_ARGUMENTS"):
            made = listed.world(admin.property, {})
            ids.update({arg: made[key] for arg, key in listed.ROUTE_ARGUMENTS.items()})
    urls = _get_urls(app, ids)
    assert "/people/" in urls and "/audit/" in urls
    for url in urls:
        if url.endswith(".pdf"):
            continue  # documents take no list parameters; rendered once below
        response = client.get(url, query_string=args)
        assert response.status_code in {200, 303, 400, 403, 404}, (url, args, response.status_code)
    for url in ("/people/", "/audit/"):
        response = client.get(url, query_string=args)
        assert response.status_code == 200, (url, args)


def test_a_page_past_the_end_shows_the_last_page(client, db, login_as, app):
    admin = login_as("admin")
    for _ in range(3):
        factories.person(prop=admin.property)
    response = client.get("/people/", query_string={"per_page": "2", "page": str(2**63)})
    assert response.status_code == 200
    assert re.search(r"Page (\d+) of \1\b", text_of(response)), text_of(response)[-400:]


def test_a_pdf_ignores_out_of_range_list_parameters(client, db, login_as):
    admin = login_as("admin")
    version = factories.sop(prop=admin.property)
    response = client.get(
        f"/sops/versions/{version.id}/print.pdf", query_string={"page": str(2**63)}
    )
    assert response.status_code == 200


# --- 2. OPTIONS and 405 ------------------------------------------------------------------------
def test_options_while_signed_in_answers_like_flask(client, db, login_as, app):
    admin = login_as("admin")
    version = factories.sop(prop=admin.property)
    for url in (
        "/",
        "/people/",
        "/people/new",
        f"/sops/{version.sop_id}",
        "/auth/logout",
        "/audit/",
    ):
        response = client.open(url, method="OPTIONS")
        assert response.status_code in {200, 204}, (url, response.status_code)
        assert "OPTIONS" in response.headers["Allow"], url


def test_a_wrong_method_is_405_with_allow(client, db, login_as):
    login_as("admin")
    response = client.get("/auth/logout")
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"POST", "OPTIONS"}
    assert "This action cannot be done this way." in text_of(response)
    fragment = client.hx_get("/auth/logout")
    assert fragment.status_code == 405 and "POST" in fragment.headers["Allow"]
    page = client.post_form("/people/")
    assert page.status_code == 405 and "GET" in page.headers["Allow"]


# --- 3. invisible characters -------------------------------------------------------------------
HANGUL_FILLERS = ["\u3164", "\u115f", "\u1160", "\uffa0"]
NAME_REFUSED = [
    "\u061c",  # Arabic letter mark
    *HANGUL_FILLERS,
    "\U000e0041",  # tag LATIN CAPITAL LETTER A
    "\U000e007f",  # cancel tag
    "\ue000",  # private use
    "\U000f0000",  # supplementary private use
    "\u0378",  # unassigned
    "\n",
    "\u202e",
    "\u2067",
    "\u200b",
    "\x07",
]


def _people_count(db):
    return db.session.scalar(select(func.count()).select_from(User))


def _audit_count(db):
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


@pytest.mark.parametrize("field", ["name_en", "name_zh", "staff_no"])
@pytest.mark.parametrize("char", NAME_REFUSED, ids=lambda c: f"U+{ord(c):04X}")
def test_invisible_characters_in_names_are_refused(client, db, login_as, field, char):
    from tests.people.test_people import valid_form

    hr = login_as("hr")
    data = valid_form(hr.property)
    value = {"name_en": "Chen{}Jing", "name_zh": "陈{}静", "staff_no": "E3{}001"}[field]
    data[field] = value.format(char)
    before, audit_before = _people_count(db), _audit_count(db)
    response = client.post_form("/people/new", data)
    assert response.status_code == 422, (field, hex(ord(char)))
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert _people_count(db) == before
    assert _audit_count(db) == audit_before


@pytest.mark.parametrize("char", HANGUL_FILLERS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_name_of_hangul_fillers_only_is_refused(client, db, login_as, char):
    from tests.people.test_people import valid_form

    hr = login_as("hr")
    data = valid_form(hr.property, name_en=char * 3, name_zh="")
    before = _people_count(db)
    response = client.post_form("/people/new", data)
    assert response.status_code == 422
    assert 'id="name_en-error"' in response.get_data(as_text=True)
    assert _people_count(db) == before


def test_names_keep_ordinary_letters(client, db, login_as):
    from tests.people.test_people import valid_form

    hr = login_as("hr")
    data = valid_form(hr.property, name_en="José Ñúñez-O'Brien", name_zh="陈静·李")
    response = client.post_form("/people/new", data)
    assert response.status_code == 303, text_of(response)[:500]


PROSE_REFUSED = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\x00",
    "\x1b",
    "\x7f",
    "\x85",
    "\r",
]


@pytest.mark.parametrize("char", PROSE_REFUSED, ids=lambda c: f"U+{ord(c):04X}")
def test_bidi_controls_and_control_characters_in_a_step_are_refused(client, db, login_as, char):
    hr = login_as("hr")
    dept = factories.department(hr.property, "HK")
    data = editor_form(dept_id=dept.id)
    data["steps-1-text_en"] = f"Announce {char}yourself"
    audit_before = _audit_count(db)
    response = client.post_form("/sops/new", data)
    assert response.status_code == 422
    assert 'id="steps-1-text_en-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Sop)) == 0
    assert _audit_count(db) == audit_before


def test_prose_keeps_newlines_zwj_and_full_width_punctuation(client, db, login_as):
    hr = login_as("hr")
    dept = factories.department(hr.property, "HK")
    data = editor_form(dept_id=dept.id)
    data["steps-0-text_en"] = "Knock three times\r\nthen wait\tten seconds 👩\u200d🔧"
    data["steps-0-text_zh"] = "敲门三次，然后等候：十秒。"
    response = client.post_form("/sops/new", data)
    assert response.status_code == 303, text_of(response)[:800]
    version = db.session.scalar(select(Sop)).versions[0]
    assert version.steps[0].text_en == "Knock three times\nthen wait\tten seconds 👩\u200d🔧"
    assert version.steps[0].text_zh == "敲门三次，然后等候：十秒。"


# --- 4. too many steps -------------------------------------------------------------------------
def test_more_steps_than_the_limit_are_refused_next_to_the_steps(client, db, login_as):
    hr = login_as("hr")
    dept = factories.department(hr.property, "HK")
    steps = [f"Step {i}" for i in range(MAX_STEPS + 1)]
    audit_before = _audit_count(db)
    response = client.post_form("/sops/new", editor_form(dept_id=dept.id, steps=steps))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'id="steps-error"' in body
    assert f"An SOP has at most {MAX_STEPS} steps" in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(Sop)) == 0
    assert _audit_count(db) == audit_before


def test_exactly_the_limit_of_steps_is_saved(client, db, login_as):
    hr = login_as("hr")
    dept = factories.department(hr.property, "HK")
    steps = [f"Step {i}" for i in range(MAX_STEPS)]
    response = client.post_form("/sops/new", editor_form(dept_id=dept.id, steps=steps))
    assert response.status_code == 303, text_of(response)[:800]
    assert len(db.session.scalar(select(Sop)).versions[0].steps) == MAX_STEPS


# --- 5. bodies without a Content-Length --------------------------------------------------------
@pytest.mark.parametrize("terminated", [True, False], ids=["server-terminated", "plain"])
def test_a_chunked_body_over_the_limit_is_413(client, db, login_as, terminated):
    login_as("hr")
    token = client.csrf_token()
    body = b"name_en=" + b"x" * (3 * 1024 * 1024)
    before = _people_count(db)
    response = client.post(
        "/people/new",
        input_stream=io.BytesIO(body),
        headers={
            "Transfer-Encoding": "chunked",
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": token,
        },
        environ_overrides={"wsgi.input_terminated": True} if terminated else {},
    )
    assert response.request.content_length is None  # chunked: no length known in advance
    assert response.status_code == 413
    assert TOO_LARGE in text_of(response)
    assert _people_count(db) == before


def test_a_chunked_body_within_the_limit_is_read(client, db, login_as):
    from urllib.parse import urlencode

    from tests.people.test_people import valid_form

    hr = login_as("hr")
    data = {**valid_form(hr.property), "csrf_token": client.csrf_token()}
    response = client.post(
        "/people/new",
        input_stream=io.BytesIO(urlencode(data).encode()),
        headers={
            "Transfer-Encoding": "chunked",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 303, text_of(response)[:500]


def test_a_chunked_body_over_the_limit_is_413_from_a_real_server(app, committed_db):
    """The same through werkzeug's server, which de-chunks the body (as gunicorn does)."""
    import http.client
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=30)
        chunk = b"x" * 65536
        conn.putrequest("POST", "/auth/login")
        conn.putheader("Content-Type", "application/x-www-form-urlencoded")
        conn.putheader("Transfer-Encoding", "chunked")
        conn.endheaders()
        try:
            conn.send(b"%x\r\nidentifier=\r\n" % len(b"identifier="))
            for _ in range(3 * 16):  # 3 MiB
                conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            conn.send(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before the whole body is sent
        response = conn.getresponse()
        body = response.read().decode()
        assert response.status == 413
        assert TOO_LARGE in body
        conn.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.mark.parametrize("value", [str(2**63), "9" * 40, "-3", "abc"])
def test_a_list_filter_number_out_of_range_matches_nothing(client, db, login_as, value):
    login_as("hr")
    response = client.get(f"/sops/?scope=all&department={value}")
    assert response.status_code == 200
    assert "SOP" in text_of(response)
