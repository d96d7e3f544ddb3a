"""Comparing two versions of an SOP: which texts and which steps changed."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from portal.blueprints.sops.models import TEXT_FIELDS, SopStep, SopVersion


@dataclass
class StepChange:
    kind: str  # "same", "changed", "added", "removed"
    old: SopStep | None
    new: SopStep | None


@dataclass
class Comparison:
    fields: list[tuple[str, str, str, str]]  # (field, language, old text, new text)
    steps: list[StepChange]

    @property
    def changed_steps(self) -> int:
        return sum(1 for s in self.steps if s.kind != "same")


def compare_versions(old: SopVersion, new: SopVersion) -> Comparison:
    """What changed between two versions, step by step (both languages count)."""
    fields = [
        (name.rsplit("_", 1)[0], name.rsplit("_", 1)[1], getattr(old, name), getattr(new, name))
        for name in TEXT_FIELDS
        if "change" not in name and getattr(old, name) != getattr(new, name)
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
            steps += [StepChange("changed", olds[k], news[k]) for k in range(paired)]
            steps += [StepChange("removed", o, None) for o in olds[paired:]]
            steps += [StepChange("added", None, n) for n in news[paired:]]
        elif tag == "delete":
            steps += [StepChange("removed", o, None) for o in olds]
        else:
            steps += [StepChange("added", None, n) for n in news]
    return Comparison(fields, steps)
