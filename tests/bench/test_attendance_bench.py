"""The attendance benchmark's requests: every tap changes its row's mark (a tap that repeats
the mark writes nothing and would flatter the number), and the wrk script sends them as
POSTs with their body."""

from pathlib import Path
from urllib.parse import parse_qs

from bench import attendance

LUA = Path(attendance.ROOT, "bench", "wrk_report.lua").read_text()


def test_each_tap_gives_its_row_another_mark():
    lines = attendance.mark_mix("sid=abc", "tok", [11, 12, 13])
    assert len(lines) == 3 * len(attendance.MARKS)
    last: dict[str, str] = {}
    for line in lines + lines[:3]:  # round the list once more: the cycle goes on
        path, cookie, hx, body = line.split("\t")
        assert path.endswith("/mark") and cookie == "sid=abc" and hx == "1"
        form = parse_qs(body)
        assert form["csrf_token"] == ["tok"]
        assert last.get(path) != form["mark"][0]
        last[path] = form["mark"][0]


def test_the_wrk_script_posts_a_line_with_a_body():
    assert 'wrk.format("POST", path, headers, body)' in LUA
    assert "application/x-www-form-urlencoded" in LUA
    assert '"refused"' in LUA


def test_each_roll_call_tap_changes_its_persons_state():
    from bench import rollcall

    lines = rollcall.roll_mix("sid=abc", "tok", 7, [21, 22, 23, 24])
    assert len(lines) == 8
    state: dict[str, str] = {}
    for line in lines + lines:  # round the list again: it goes on changing
        path, cookie, hx, body = line.split("\t")
        assert path.startswith("/drills/7/roll/") and cookie == "sid=abc" and hx == "1"
        form = parse_qs(body)
        assert form["csrf_token"] == ["tok"]
        assert state.get(path, "0") != form["accounted"][0]
        state[path] = form["accounted"][0]


def test_each_checklist_tap_changes_its_step():
    from bench import cleaning

    lines = cleaning.tap_mix("sid=abc", "tok", [5, 6])
    assert len(lines) == 2 * 2 * 13
    state: dict[str, str] = {}
    for line in lines + lines:  # round the list again: it goes on changing
        path, cookie, hx, body = line.split("\t")
        assert path.startswith("/rosters/cleanings/") and cookie == "sid=abc" and hx == "1"
        form = parse_qs(body)
        assert form["csrf_token"] == ["tok"]
        assert state.get(path, "0") != form["done"][0]
        state[path] = form["done"][0]
