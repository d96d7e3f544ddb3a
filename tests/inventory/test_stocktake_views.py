"""Stocktake pages: a housekeeping supervisor freezes the pantry's count sheet, an attendant
counts on a tablet row by row (htmx, or plain posts with JavaScript off) without seeing what is
expected on a blind count, bad counts are said in their row, the manager sees the variances and
posts them, and the count sheet prints in Chinese."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.blueprints.inventory import stocktake as counts
from portal.blueprints.inventory.models import (
    Kind,
    Movement,
    Stocktake,
    StocktakeLine,
    StocktakeStatus,
)
from portal.extensions import db as _db
from tests.conftest import text_of, visible_text
from tests.drills.test_documents import printed
from tests.inventory import helpers as h
from tests.inventory.test_views import hotel_world, is_fragment, is_page

HUGE = 2**63


@pytest.fixture
def w(db):
    return hotel_world()


def frozen(w, *, show_expected=False, by=None) -> Stocktake:
    """The pantry's count sheet (20 bath towels expected)."""
    made = counts.freeze(w.pantry, by=by or w.keeper, show_expected=show_expected)
    _db.session.commit()
    return made


def towel_line(st) -> StocktakeLine:
    _db.session.expire_all()
    return _db.session.scalar(select(StocktakeLine).where(StocktakeLine.stocktake_id == st.id))


def row_of(response, line) -> str:
    html = response.get_data(as_text=True)
    return re.search(rf'<tr id="line-{line.id}"[^>]*>.*?</tr>', html, re.S).group(0)


def test_a_supervisor_freezes_the_pantry_and_lands_on_the_sheet(client, w, login_as):
    login_as("supervisor")  # supervises housekeeping, which keeps the pantry
    page = client.get(f"/inventory/stores/{w.pantry.id}/stocktakes")
    assert "Freeze the count sheet" in text_of(page)
    response = client.post_form(f"/inventory/stores/{w.pantry.id}/stocktakes", {})
    assert response.status_code == 303
    made = _db.session.scalar(select(Stocktake).where(Stocktake.store_id == w.pantry.id))
    assert response.headers["Location"] == f"/inventory/stocktakes/{made.id}"
    assert made.show_expected is False and made.status == StocktakeStatus.COUNTING
    # a double tap lands on the same count, told so
    again = client.post_form(f"/inventory/stores/{w.pantry.id}/stocktakes", {})
    assert again.headers["Location"] == f"/inventory/stocktakes/{made.id}"
    assert h.count(Stocktake) == 1
    listed = text_of(client.get(f"/inventory/stores/{w.pantry.id}/stocktakes"))
    assert "A count of this store is under way" in listed and "Freeze" not in listed


def test_an_attendant_may_count_but_not_freeze_or_post(client, w, login_as):
    login_as("employee")
    page = text_of(client.get(f"/inventory/stores/{w.pantry.id}/stocktakes"))
    assert "Freeze the count sheet" not in page
    assert client.post_form(f"/inventory/stores/{w.pantry.id}/stocktakes", {}).status_code == 403
    st = frozen(w)
    sheet = text_of(client.get(f"/inventory/stocktakes/{st.id}"))
    assert "Bath towel" in sheet and "Post the adjustments" not in sheet
    assert client.post_form(f"/inventory/stocktakes/{st.id}/post", {}).status_code == 403


def test_a_blind_count_hides_what_is_expected_from_the_counter(client, w, login_as):
    st = frozen(w)
    login_as("employee")
    line = towel_line(st)
    sheet = client.get(f"/inventory/stocktakes/{st.id}")
    assert "Expected" not in text_of(sheet) and "20" not in visible_text(row_of(sheet, line))
    counted = client.post_form(
        f"/inventory/stocktakes/{st.id}/lines/{line.id}", {"counted": "18"}, htmx=True
    )
    assert is_fragment(counted, f"line-{line.id}")
    assert "Variance" not in text_of(counted) and "-2" not in text_of(counted)
    assert "inventory:counted" in counted.headers["HX-Trigger"]
    assert towel_line(st).counted == 18


def test_shown_expected_and_the_manager_see_the_variance(client, w, login_as):
    st = frozen(w, show_expected=True)
    counts.count(towel_line(st), 17, by=w.keeper)
    _db.session.commit()
    login_as("employee")
    row = visible_text(row_of(client.get(f"/inventory/stocktakes/{st.id}"), towel_line(st)))
    assert "20" in row and "-3" in row and "-7.50" in row  # 3 towels at 2.50
    login_as("manager")
    summary = client.get(f"/inventory/stocktakes/{st.id}/summary", headers={"HX-Request": "true"})
    assert is_fragment(summary, "stocktake-summary")
    assert "1 of 1 items counted" in text_of(summary)
    assert "1 items differ from what was expected, worth -7.50 in all." in text_of(summary)


def test_a_count_works_with_javascript_off(client, w, login_as):
    st = frozen(w)
    login_as("employee")
    line = towel_line(st)
    response = client.post_form(f"/inventory/stocktakes/{st.id}/lines/{line.id}", {"counted": "19"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/inventory/stocktakes/{st.id}#line-{line.id}"
    assert towel_line(st).counted == 19


def test_a_bad_count_is_said_in_its_row_and_writes_nothing(client, w, login_as):
    st = frozen(w)
    login_as("employee")
    line = towel_line(st)
    url = f"/inventory/stocktakes/{st.id}/lines/{line.id}"
    for typed, message in [
        ("lots", "Give a number such as 12 or 2.5 (digits only)."),
        ("", "Give a number."),
        ("-3", "Give a number such as 12 or 2.5 (digits only)."),
        ("2.5", "Give a whole number: this item is counted by the piece."),
        ("1000000", "A quantity is at most 999,999."),
        (str(HUGE), "Give a number such as 12 or 2.5 (digits only)."),
    ]:
        before = h.written()
        plain = client.post_form(url, {"counted": typed})
        assert plain.status_code == 422 and is_page(plain), typed
        assert message in visible_text(row_of(plain, line)), (
            typed,
            visible_text(row_of(plain, line)),
        )
        assert 'aria-invalid="true"' in row_of(plain, line)
        swapped = client.post_form(url, {"counted": typed}, htmx=True)
        assert swapped.status_code == 200 and is_fragment(swapped, f"line-{line.id}")
        assert message in text_of(swapped)
        assert "HX-Trigger" not in swapped.headers
        assert h.written() == before
    assert towel_line(st).counted is None


def test_the_manager_posts_and_the_stock_is_what_was_counted(client, w, login_as):
    st = frozen(w)
    counts.count(towel_line(st), 16, by=w.keeper)
    _db.session.commit()
    login_as("manager")
    sheet = text_of(client.get(f"/inventory/stocktakes/{st.id}"))
    assert "Post the adjustments" in sheet and "Expected" in sheet  # the manager sees it
    response = client.post_form(f"/inventory/stocktakes/{st.id}/post", {})
    assert response.status_code == 303
    assert h.on_hand(w.pantry, w.towel) == 16
    (move,) = h.movements(Movement.kind == Kind.COUNT)
    assert move.change == -4 and move.note == f"Stocktake no. {st.id}"
    after = text_of(client.get(f"/inventory/stocktakes/{st.id}"))
    assert "Posted" in after and "Post the adjustments" not in after and "Save" not in after
    history = text_of(client.get(f"/inventory/items/{w.towel.id}"))
    assert "Stocktake adjustment" in history
    # posted twice (a double tap): told, nothing more
    twice = client.post_form(f"/inventory/stocktakes/{st.id}/post", {})
    assert twice.status_code == 409 and "posted meanwhile" in text_of(twice)
    assert h.count(Movement, Movement.kind == Kind.COUNT) == 1


def test_posting_with_items_left_to_count_is_refused(client, w, login_as):
    st = frozen(w)
    login_as("manager")
    response = client.post_form(f"/inventory/stocktakes/{st.id}/post", {})
    assert response.status_code == 409
    assert "1 items are not counted yet" in text_of(response)
    assert _db.session.get(Stocktake, st.id).status == StocktakeStatus.COUNTING


def test_the_manager_cancels_a_count(client, w, login_as):
    st = frozen(w)
    login_as("manager")
    response = client.post_form(f"/inventory/stocktakes/{st.id}/cancel", {})
    assert response.status_code == 303
    _db.session.expire_all()
    assert _db.session.get(Stocktake, st.id).status == StocktakeStatus.CANCELLED
    assert h.on_hand(w.pantry, w.towel) == 20


def test_guessed_and_huge_ids_are_not_found(client, w, login_as):
    st = frozen(w)
    login_as("manager")
    main_sheet = counts.freeze(w.main, by=w.keeper)
    _db.session.commit()
    main_line = towel_line(main_sheet)
    for url in (
        f"/inventory/stocktakes/{HUGE}",
        f"/inventory/stocktakes/{st.id + 1000}",
        f"/inventory/stocktakes/{st.id}/sheet.pdf?lang={HUGE}",
    ):
        assert client.get(url).status_code in (400, 404), url
    for url in (
        f"/inventory/stocktakes/{HUGE}/post",
        f"/inventory/stocktakes/{st.id}/lines/{HUGE}",
        f"/inventory/stocktakes/{st.id}/lines/{main_line.id}",  # a line of another count
        f"/inventory/stores/{HUGE}/stocktakes",
    ):
        assert client.post_form(url, {"counted": "1"}).status_code == 404, url
    assert towel_line(main_sheet).counted is None


def test_the_count_sheet_prints_in_chinese_blind_or_not(client, w, login_as):
    st = frozen(w)
    login_as("manager")
    text = printed(client, f"/inventory/stocktakes/{st.id}/sheet.pdf?lang=zh")
    assert "盘点表" in text and "浴巾" in text and "Count sheet" not in text
    assert re.search(r"LIN-BATH\s+浴巾\s+件\s+盘点人", text), text  # blind: no figure
    both = printed(client, f"/inventory/stocktakes/{st.id}/sheet.pdf?lang=both")
    assert "Count sheet" in both and "盘点表" in both and "Bath towel" in both
    assert client.get(f"/inventory/stocktakes/{st.id}/sheet.pdf?lang=fr").status_code == 400
    counts.cancel(st, by=w.boss)
    shown = frozen(w, show_expected=True)
    text = printed(client, f"/inventory/stocktakes/{shown.id}/sheet.pdf?lang=zh")
    assert "账面数" in text and re.search(r"LIN-BATH\s+浴巾\s+件\s+20\b", text), text
