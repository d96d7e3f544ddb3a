"""CSV downloads that spreadsheet programs open correctly and safely.

Part of the shared core: every module's export uses it. A byte-order mark makes Excel read the
UTF-8 (Chinese names); a cell that starts like a formula is kept as text (CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

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
    """`text` (made with csv_text, or a csv.writer) as an attachment named `filename`."""
    return Response(
        "\ufeff" + text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
