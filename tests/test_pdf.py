"""Documents: WeasyPrint outside the web worker, locked-down fetching, Chinese text."""

import http.client
import http.server
import io
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

from portal import pdf, pdfjobs, pdfworker
from tests import factories


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_fast_font_subsetter_is_in_use():
    """Without libharfbuzz-subset0 a 10-page Chinese PDF takes 15-18 s instead of 1 s."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    assert harfbuzz_subset is not None, "install the system package libharfbuzz-subset0"
    assert harfbuzz.hb_version_atleast(4, 1, 0)


def test_staff_record_card_in_chinese(client, db, login_as):
    hr = login_as("hr", locale="zh_Hans")
    person = factories.person(
        "employee", name_zh="王秀英", name_en="Wang Xiuying", staff_no="E5001"
    )
    response = client.get(f"/people/{person.id}/record.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    text = pdf_text(response.data)
    assert "王秀英" in text and "Wang Xiuying" in text and "E5001" in text
    assert "员工档案卡" in text  # the title, in the viewer's language
    assert "第 1 页，共 1 页" in text
    assert hr.name_zh in text  # printed by
    assert len(PdfReader(io.BytesIO(response.data)).pages) == 1
    assert len(response.data) < 400_000


def test_staff_record_card_in_english(client, db, login_as):
    login_as("hr", locale="en")
    person = factories.person("employee", name_zh="王秀英", name_en="Wang Xiuying")
    text = pdf_text(client.get(f"/people/{person.id}/record.pdf").data)
    assert "Staff record card" in text and "Page 1 of 1" in text
    assert "王秀英" in text


def test_markup_in_a_name_is_printed_as_text(client, db, login_as):
    login_as("hr")
    person = factories.person("employee", name_en='<img src="file:///etc/passwd">Evil')
    text = pdf_text(client.get(f"/people/{person.id}/record.pdf").data)
    assert '<img src="file:///etc/passwd">Evil' in text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:5432/",
        "https://example.com/x.png",
        "https://staffroom.invalid/static/../../../../etc/passwd",
        "https://staffroom.invalid/static/js/portal.js",  # not a document resource type
        "https://staffroom.invalid/auth/login",
        "data:text/html;base64,PGgxPmhpPC9oMT4=",
    ],
)
def test_fetcher_refuses_everything_but_our_static_files(app, url):
    fetcher = pdfworker.StaticOnlyFetcher(app.static_folder)
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(url)


def test_fetcher_serves_our_stylesheet_and_small_images(app):
    fetcher = pdfworker.StaticOnlyFetcher(app.static_folder)
    css = fetcher.fetch("https://staffroom.invalid/static/css/pdf.css")
    assert b"@page" in css.read()
    png = fetcher.fetch(
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
    )
    assert png.read().startswith(b"\x89PNG")


def test_a_document_that_fetches_from_outside_renders_without_it(app, listener, tmp_path):
    url, requests = listener
    local_css = tmp_path / "local.css"
    local_css.write_text('p::before { content: "READ-FROM-FILE" }')
    html = (
        f'<html><head><link rel="stylesheet" href="{url}/style.css">'
        f'<link rel="stylesheet" href="{local_css.as_uri()}"></head>'
        f'<body><p>Before</p><img src="{url}/image.png"><img src="file:///etc/passwd">'
        f'<p style="background: url({url}/background.png)">After</p></body></html>'
    )
    with app.test_request_context():
        data = pdf.html_to_pdf(html)
    text = pdf_text(data)
    assert "Before" in text and "After" in text
    assert requests == []  # nothing asked of the listener
    assert "FETCHED-OVER-HTTP" not in text
    assert "READ-FROM-FILE" not in text  # the file: stylesheet was not read either
    # The listener does count: the same address, fetched directly, is one request.
    direct = http.client.HTTPConnection(urlsplit(url).netloc, timeout=5)
    try:
        direct.request("GET", "/style.css")
        assert b"FETCHED-OVER-HTTP" in direct.getresponse().read()
    finally:
        direct.close()
    assert requests == ["/style.css"]


def test_a_runaway_document_is_stopped_and_the_next_one_works(app):
    huge = "<html><body>" + "<p>工作</p>" * 40000 + "</body></html>"
    with app.test_request_context():
        with pytest.raises(pdf.PdfError, match="took too long"):
            pdf.html_to_pdf(huge, timeout=0.5)
        data = pdf.html_to_pdf("<html><body><p>still serving 仍在服务</p></body></html>")
    assert "仍在服务" in pdf_text(data)


def test_same_document_is_served_from_the_cache(app, monkeypatch):
    html = "<html><body><p>cached 缓存</p></body></html>"
    with app.test_request_context():
        first = pdf.html_to_pdf(html)

        def no_pool(*args):
            raise AssertionError("rendered twice")

        monkeypatch.setattr(pdfjobs, "get_pool", no_pool)
        assert pdf.html_to_pdf(html) == first


def test_the_web_process_does_not_load_weasyprint():
    """WeasyPrint (~27 MB) belongs to the PDF process; the web workers stay small."""
    import subprocess
    import sys

    code = (
        "import os, sys; os.environ['PORTAL_INSTANCE_PATH'] = sys.argv[1];"
        "from portal import create_app; create_app({'SQLALCHEMY_DATABASE_URI': 'sqlite://'});"
        "import portal.pdf; print('weasyprint' in sys.modules)"
    )
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [sys.executable, "-c", code, tmp], capture_output=True, text=True, check=True
        )
    assert out.stdout.strip() == "False"


def test_a_reprint_with_the_same_inputs_skips_even_the_html(app, monkeypatch):
    from portal import pdf as pdf_module

    with app.test_request_context():
        first = pdf_module.render_pdf("pdf/base.html", inputs=("doc", 1), title="Reprint 再印")

        def no_render(*args, **kwargs):
            raise AssertionError("rendered again")

        monkeypatch.setattr(pdf_module, "render_template", no_render)
        assert pdf_module.render_pdf("pdf/base.html", inputs=("doc", 1), title="x") == first
        with pytest.raises(AssertionError, match="rendered again"):
            pdf_module.render_pdf("pdf/base.html", inputs=("doc", 2), title="x")
