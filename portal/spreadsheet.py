"""CSV downloads that spreadsheet programs open correctly and safely.

Part of the shared core: every module's export uses it. A byte-order mark makes Excel read the
UTF-8 (Chinese names); a cell that starts like a formula is kept as text (CSV injection).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """Keep spreadsheet programs from treating a cell as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text


def csv_text(rows: Iterable[Iterable]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(rows)
    return buffer.getvalue()


def csv_download(text: str, filename: str) -> Response:
    """`text` (made with csv_text, or a csv.writer) as an attachment named `filename`.

    A name that is not plain ASCII (an item's Chinese code) goes in filename* (RFC 6266), with
    an ASCII fallback: a header must be Latin-1 for the WSGI server to send it."""
    return Response(
        "\ufeff" + text,
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; {_filename(filename)}"},
    )


def _filename(name: str) -> str:
    if name.isascii():
        return f'filename="{name}"'
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    stem, dot, ext = plain.rpartition(".")
    stem = re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-") or "download"
    return f"filename=\"{stem}{dot}{ext}\"; filename*=UTF-8''{quote(name)}"
