"""An emoji or symbol in an SOP step prints as itself, not as a box: the documents' font stack
carries an emoji font after the CJK one, and the PDF embeds it only when a document uses it."""

import io

from pypdf import PdfReader

from portal.blueprints.sops import services
from portal.i18n import local_today
from tests import factories

BROOM = "\N{BROOM}"  # 🧹


def embedded_fonts(data: bytes) -> set[str]:
    """The base names of the fonts a PDF embeds (without the subset prefix)."""
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return names


def printed(client, login_as, step_en: str) -> bytes:
    author = login_as("hr")
    data = factories.version_data(steps=2)
    data.steps[0].text_en = step_en
    data.steps[0].text_zh = f"{step_en} 清扫地面"
    version = services.create_sop(
        property_id=author.property_id,
        department_id=factories.department(author.property, "HK").id,
        number="HK-077",
        data=data,
        author=author,
    )
    services.submit_for_review(version, by=author)
    services.approve(
        version, approver=factories.person("manager", dept="FO"), effective_date=local_today()
    )
    from portal.extensions import db

    db.session.commit()
    response = client.get(f"/sops/versions/{version.id}/print.pdf?lang=both")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response.data


def test_an_emoji_in_a_step_is_printed_with_the_emoji_font(client, db, login_as):
    data = printed(client, login_as, f"{BROOM} Sweep the floor")
    fonts = embedded_fonts(data)
    assert "Noto-Color-Emoji" in fonts, fonts
    assert "Noto-Sans-CJK-SC" in fonts, fonts
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert f"{BROOM} Sweep the floor" in text
    assert f"{BROOM} Sweep the floor 清扫地面" in text


def test_a_document_without_emoji_embeds_the_cjk_font_only(client, db, login_as):
    fonts = embedded_fonts(printed(client, login_as, "Sweep the floor"))
    assert fonts == {"Noto-Sans-CJK-SC"}, fonts
