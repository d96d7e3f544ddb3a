"""Every icon the portal names is in its sprite (an icon missing from ICONS.txt draws nothing,
and a status would lose its picture without any error)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "portal"
SPRITE = ROOT / "static/vendor/bootstrap-icons/sprite.svg"
# icon('name') in templates; "icon": "name", icon_name="name", NavEntry(..., "name", ...) and
# (name, tone) pairs in Python.
PATTERNS = [
    re.compile(r"""icon\(['"]([a-z0-9-]+)['"]"""),
    re.compile(r"""icon_name=['"]([a-z0-9-]+)['"]"""),
    re.compile(r"""["']icon["']: ["']([a-z0-9-]+)["']"""),
    re.compile(r"""\(["']([a-z0-9-]+)["'], ["'](?:success|secondary|warning|danger)["']\)"""),
    re.compile(r"""\(["']([a-z0-9-]+)["'], ["'](?:is-[a-z-]+|text-bg-[a-z]+)["']\)"""),
    re.compile(r"""NavEntry\(\s*"[^"]+",\s*_l\("[^"]+"\),\s*"([a-z0-9-]+)\""""),
    re.compile(r"""Link\([^)]*?,\s*"([a-z0-9-]+)"\s*\)"""),
]


def used_icons() -> set[str]:
    names = set()
    for path in [*ROOT.rglob("*.html"), *ROOT.rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        for pattern in PATTERNS:
            names.update(pattern.findall(text))
    return names


def test_every_icon_named_is_in_the_sprite():
    drawn = set(re.findall(r'<symbol id="([^"]+)"', SPRITE.read_text()))
    used = used_icons()
    assert {"check-circle-fill", "journal-check", "calendar-event"} <= used  # the scan works
    assert used - drawn == set()
