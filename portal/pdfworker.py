"""What runs inside the PDF process: WeasyPrint with a fetcher that serves only our static files.

Kept apart from the web process on purpose: WeasyPrint with CJK fonts grows a process to about
270 MB, and a runaway document must be killable without touching the web worker. The web process
imports this module only to name `render` for the PDF process, so WeasyPrint itself is imported
lazily, here, and never costs the web workers its ~27 MB.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import mimetypes
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

ORIGIN = "https://staffroom.invalid"
STATIC_PREFIX = "/static/"
STATIC_SUFFIXES = {".css", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"}
DATA_IMAGE = re.compile(r"^data:(image/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/=\s]+)$")
MAX_DATA_IMAGE = 64 * 1024


class RefusedResource(ValueError):
    pass


@functools.cache
def fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serve the app's own static files by exact path; refuse file:, http(s):, the rest."""

        def __init__(self, static_folder: str):
            super().__init__(allowed_protocols=set(), allow_redirects=False, fail_on_errors=False)
            self.static_root = Path(static_folder).resolve()

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return self._data_image(url)
            parts = urlsplit(url)
            if f"{parts.scheme}://{parts.netloc}" != ORIGIN or not parts.path.startswith(
                STATIC_PREFIX
            ):
                raise RefusedResource(f"refused: {url[:80]}")
            relative = unquote(parts.path[len(STATIC_PREFIX) :])
            path = (self.static_root / relative).resolve()
            if (
                not path.is_relative_to(self.static_root)
                or path.suffix.lower() not in STATIC_SUFFIXES
                or not path.is_file()
            ):
                raise RefusedResource(f"refused: {url[:80]}")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

        def _data_image(self, url: str):
            match = DATA_IMAGE.match(url)
            if not match:
                raise RefusedResource("refused: data URL that is not a small image")
            try:
                data = base64.b64decode(match.group(2), validate=False)
            except (binascii.Error, ValueError) as exc:
                raise RefusedResource("refused: bad data URL") from exc
            if len(data) > MAX_DATA_IMAGE:
                raise RefusedResource("refused: data image too large")
            return URLFetcherResponse(url, data, {"Content-Type": match.group(1)})

    return StaticOnlyFetcher


def __getattr__(name: str):
    if name == "StaticOnlyFetcher":
        return fetcher_class()
    raise AttributeError(name)


def start(nice: int = 0) -> None:
    """Runs once in each new PDF process: a lower priority than the web workers (pages keep
    their speed while documents render), and WeasyPrint loaded before the first document."""
    if nice > 0:
        with contextlib.suppress(OSError):
            os.nice(nice)
    import weasyprint  # noqa: F401


def render(html: str, static_folder: str) -> bytes:
    from weasyprint import HTML

    fetcher = fetcher_class()(static_folder)
    return HTML(string=html, base_url=ORIGIN + "/", url_fetcher=fetcher).write_pdf(
        url_fetcher=fetcher
    )
