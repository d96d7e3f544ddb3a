"""Comparing two versions of an SOP: which texts and which steps changed, and within each text
the words that changed, in both languages.

Texts are compared as sequences of tokens: an English word (letters and digits, with inner
apostrophes and hyphens), a run of spaces, or any other single character. Chinese has no spaces
between words, so each Chinese character is a token of its own. A short unchanged island
between two changes (a space, one character, one short word) joins the change around it, so
that "within 2 hours" -> "within 1 hour" reads as "2 hours" replaced by "1 hour", not as four
scattered marks.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from portal.blueprints.sops.models import LANGUAGES, SopStep, SopVersion

TOKEN = re.compile(r"\s+|[^\W_]+(?:['’-][^\W_]+)*|.", re.S)
CJK_CHARS = "\u3000-\u9fff\uf900-\ufaff\uff00-\uffef"
CJK = re.compile(f"[{CJK_CHARS}]")
# Inside a run of letters: each Chinese character alone, anything else (digits, Latin) together.
CJK_SPLIT = re.compile(f"[{CJK_CHARS}]|[^{CJK_CHARS}]+")


def tokens(text: str) -> list[str]:
    """English words and runs of spaces as tokens; each Chinese character on its own."""
    out: list[str] = []
    for token in TOKEN.findall(text or ""):
        if len(token) > 1 and CJK.search(token):
            out.extend(CJK_SPLIT.findall(token))
        else:
            out.append(token)
    return out


def _is_island(run: list[str]) -> bool:
    """An unchanged run short enough to join the changes on both sides of it: spaces, one
    short word, or up to two Chinese characters."""
    words = [t for t in run if not t.isspace()]
    if all(CJK.fullmatch(w) for w in words):
        return len(words) <= 2
    return len(words) <= 1 and len(words[0]) <= 4


@dataclass(frozen=True)
class Piece:
    kind: str  # "same", "added", "removed"
    text: str


@dataclass
class TextDiff:
    """One text in two versions: the old one with what was removed marked, the new one with
    what was added marked."""

    old: list[Piece] = field(default_factory=list)
    new: list[Piece] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(p.kind != "same" for p in self.old + self.new)

    @property
    def old_text(self) -> str:
        return "".join(p.text for p in self.old)

    @property
    def new_text(self) -> str:
        return "".join(p.text for p in self.new)


def _segments(a: list[str], b: list[str]) -> list[tuple[str, list[str], list[str]]]:
    """(tag, old tokens, new tokens) runs. Short unchanged islands between changes join them,
    and so does punctuation left over at either end; a text that keeps less than a third of
    itself is shown as replaced as a whole."""
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    runs = [(tag, a[i1:i2], b[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]
    kept = sum(_weight(old) for tag, old, _new in runs if tag == "equal")
    if runs and kept * 3 < max(_weight(a), _weight(b)):
        return [("replace", list(a), list(b))]
    merged: list[tuple[str, list[str], list[str]]] = []
    for index, (tag, old, new) in enumerate(runs):
        if tag == "equal" and len(runs) > 1:
            inner = 0 < index < len(runs) - 1
            if (inner and _is_island(old)) or (not inner and _weight(old) == 0):
                tag = "replace"
        if merged and tag != "equal" and merged[-1][0] != "equal":
            _tag, prev_old, prev_new = merged[-1]
            merged[-1] = ("replace", prev_old + old, prev_new + new)
        else:
            merged.append((tag, list(old), list(new)))
    return merged


def _weight(run: list[str]) -> int:
    """How much of a text a run is: its letters and digits (spaces and punctuation weigh
    nothing)."""
    return sum(1 for token in run for ch in token if ch.isalnum())


def _append(pieces: list[Piece], kind: str, text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1].kind == kind:
        pieces[-1] = Piece(kind, pieces[-1].text + text)
    else:
        pieces.append(Piece(kind, text))


def diff_text(old: str, new: str) -> TextDiff:
    result = TextDiff()
    for tag, a, b in _segments(tokens(old), tokens(new)):
        same = tag == "equal"
        _append(result.old, "same" if same else "removed", "".join(a))
        _append(result.new, "same" if same else "added", "".join(b))
    return result


@dataclass
class FieldChange:
    name: str  # title, purpose, scope, responsibilities
    lang: str
    diff: TextDiff


@dataclass
class StepChange:
    kind: str  # "same", "changed", "added", "removed"
    old: SopStep | None
    new: SopStep | None
    # (part, language) -> diff, for the texts and notes of a changed step
    diffs: dict[tuple[str, str], TextDiff] = field(default_factory=dict)

    @property
    def languages_changed(self) -> list[str]:
        """The languages whose text or note changed (both, for an added or removed step)."""
        if self.kind in {"added", "removed"}:
            return list(LANGUAGES)
        return [
            lang
            for lang in LANGUAGES
            if any(diff.changed for (_part, of), diff in self.diffs.items() if of == lang)
        ]

    def diff(self, part: str, lang: str) -> TextDiff:
        return self.diffs[(part, lang)]


@dataclass
class Comparison:
    fields: list[FieldChange]
    steps: list[StepChange]

    @property
    def changed_steps(self) -> int:
        return sum(1 for s in self.steps if s.kind != "same")


def _step_diffs(old: SopStep, new: SopStep) -> dict[tuple[str, str], TextDiff]:
    return {
        (part, lang): diff_text(getattr(old, f"{part}_{lang}"), getattr(new, f"{part}_{lang}"))
        for part in ("text", "note")
        for lang in LANGUAGES
    }


def compare_versions(old: SopVersion, new: SopVersion) -> Comparison:
    """What changed between two versions, step by step (both languages count)."""
    fields = [
        FieldChange(
            name, lang, diff_text(getattr(old, f"{name}_{lang}"), getattr(new, f"{name}_{lang}"))
        )
        for name in ("title", "purpose", "scope", "responsibilities")
        for lang in LANGUAGES
        if getattr(old, f"{name}_{lang}") != getattr(new, f"{name}_{lang}")
    ]

    def signature(step: SopStep):
        return (step.text_en, step.text_zh, step.note_en, step.note_zh, step.kind, step.key_point)

    matcher = difflib.SequenceMatcher(
        a=[signature(s) for s in old.steps],
        b=[signature(s) for s in new.steps],
        autojunk=False,
    )
    steps: list[StepChange] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        olds, news = old.steps[i1:i2], new.steps[j1:j2]
        if tag == "equal":
            steps += [StepChange("same", o, n) for o, n in zip(olds, news, strict=True)]
        elif tag == "replace":
            paired = min(len(olds), len(news))
            steps += [
                StepChange("changed", olds[k], news[k], _step_diffs(olds[k], news[k]))
                for k in range(paired)
            ]
            steps += [StepChange("removed", o, None) for o in olds[paired:]]
            steps += [StepChange("added", None, n) for n in news[paired:]]
        elif tag == "delete":
            steps += [StepChange("removed", o, None) for o in olds]
        else:
            steps += [StepChange("added", None, n) for n in news]
    return Comparison(fields, steps)
