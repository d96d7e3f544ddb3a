"""The word-level comparison of two texts: English by words, Chinese by characters."""

from portal.blueprints.sops.compare import diff_text, tokens


def marked(diff) -> tuple[list, list]:
    return (
        [(p.kind, p.text) for p in diff.old if p.kind != "same"],
        [(p.kind, p.text) for p in diff.new if p.kind != "same"],
    )


def test_tokens_are_words_spaces_and_single_chinese_characters():
    assert tokens("Don't knock 3 times") == ["Don't", " ", "knock", " ", "3", " ", "times"]
    assert tokens("敲门三次，5分钟") == ["敲", "门", "三", "次", "，", "5", "分", "钟"]
    assert tokens("") == []


def test_english_changes_are_whole_words_and_short_islands_join_them():
    diff = diff_text(
        "Contact the guest within 2 hours of receiving it",
        "Contact the guest within 1 hour of receiving it",
    )
    assert marked(diff) == ([("removed", "2 hours")], [("added", "1 hour")])
    assert diff.old_text == "Contact the guest within 2 hours of receiving it"
    assert diff.new_text == "Contact the guest within 1 hour of receiving it"


def test_chinese_changes_are_characters():
    diff = diff_text("敲门三次，每次敲三下", "敲门三次，每次轻敲三下，并通报")
    assert marked(diff) == ([], [("added", "轻"), ("added", "，并通报")])
    diff = diff_text("接到投诉后2小时内联系客人", "接到投诉后1小时内联系客人")
    assert marked(diff) == ([("removed", "2")], [("added", "1")])


def test_a_text_rewritten_as_a_whole_is_shown_replaced_as_a_whole():
    diff = diff_text("Clean rooms the same way every time.", "A new purpose.")
    assert marked(diff) == (
        [("removed", "Clean rooms the same way every time.")],
        [("added", "A new purpose.")],
    )
    assert not diff_text("Same", "Same").changed
    assert marked(diff_text("", "New")) == ([], [("added", "New")])
