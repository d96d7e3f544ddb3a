"""How the SOP library's audit summaries read in the trail, in the reader's language.

Summaries are written once, in English words and codes (services.py, reading.py); these
phrases read the common ones back as sentences of either language. Stored rows never change.
A summary that matches none (an older row, a draft saved with notes on its steps) is shown as
it was written.
"""

from __future__ import annotations

from portal.audit import name_details
from portal.i18n import lazy_gettext as _l

NO = r"(?P<no>[A-Z]{1,6}-[0-9]{1,4})"
V = r"(?P<v>\d+\.\d+)"
DAY = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

PHRASES = {
    NO + r" version 1\.0 drafted": _l("%(no)s version 1.0 drafted"),
    NO + " " + V + r": (?P<n>\d+) steps": _l("%(no)s version %(v)s saved: %(n)s steps"),
    NO + " " + V + " sent for review": _l("%(no)s version %(v)s sent for review"),
    NO + " " + V + f" effective (?P<on>{DAY}) review (?P<review>{DAY})": _l(
        "%(no)s version %(v)s approved: in force from %(on)s, next review %(review)s"
    ),
    NO + " " + V + f" effective (?P<on>{DAY}) review (?P<review>{DAY}) correction": _l(
        "%(no)s version %(v)s approved as a correction: in force from %(on)s, next review "
        "%(review)s"
    ),
    NO + " " + V + r" drafted from (?P<base>\d+\.\d+)": _l(
        "%(no)s version %(v)s started from version %(base)s"
    ),
    NO + " " + V + r" drafted from (?P<base>\d+\.\d+) as a correction": _l(
        "%(no)s version %(v)s started from version %(base)s, as a correction"
    ),
    NO + f" retired from (?P<on>{DAY})": _l("%(no)s retired from %(on)s"),
    NO + " version " + V: _l("%(no)s version %(v)s read and acknowledged"),
    NO + r" reminder to (?P<staff>\S+)": _l("Reminded %(staff)s to read %(no)s"),
    # Sent back to its author with a reason (after the phrases above, which it would match).
    NO + " " + V + r": (?!\d+ steps(?:;|$))(?P<reason>.+)": _l(
        "%(no)s version %(v)s sent back: %(reason)s"
    ),
}


def register() -> None:
    name_details(phrases=PHRASES)
