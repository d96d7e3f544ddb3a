"""Fetch a document the way a browser does, whether the print URL answers the PDF at once or
answers "preparing" first and hands the PDF over when it is ready.

The ways to the PDF that are followed: a redirect (3xx Location, HX-Redirect, HX-Location), an
htmx poll on the page (an element with hx-get and an `every Ns` trigger: 204 means "not yet"),
a refresh (the Refresh header or a meta refresh), and 202 (ask the same URL again). An answer
with none of them, or an error status, fails: the benchmark must not measure a print that did
not print.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

POLL_CAP = 1.0  # seconds: poll at the page's own interval, at most this long apart


class DocumentFailed(Exception):
    pass


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes
    ms: float = 0.0

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Fetched:
    ms: float  # from the first request to the last byte of the PDF
    requests: int
    size: int
    prepared: bool  # the first answer was not the PDF


Get = Callable[[str, bool], Answer]  # get(path, htmx) -> Answer

_POLL = re.compile(r"<[^>]*\bhx-get=\"([^\"]+)\"[^>]*>", re.S)
_TRIGGER = re.compile(r"\bhx-trigger=\"([^\"]*)\"")
_EVERY = re.compile(r"every\s+(\d+(?:\.\d+)?)(ms|s)?")
_META = re.compile(r"<meta[^>]+http-equiv=\"refresh\"[^>]+content=\"([^\"]*)\"", re.I)


def _local(url: str) -> str:
    parts = urlsplit(html.unescape(url))
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _refresh(value: str, here: str) -> tuple[str, float]:
    seconds, _sep, rest = value.partition(";")
    target = rest.strip()
    if target.lower().startswith("url="):
        target = target[4:].strip("'\" ")
    try:
        wait = float(seconds.strip() or 0)
    except ValueError:
        wait = 1.0
    return (_local(target) if target else here), wait


def next_step(answer: Answer, here: str, htmx: bool) -> tuple[str, bool, float] | None:
    """Where to ask next (path, as htmx, seconds to wait first), or None: no way to the PDF."""
    headers = answer.headers
    if 300 <= answer.status < 400 and "location" in headers:
        return _local(headers["location"]), False, 0.0
    if "hx-redirect" in headers:
        return _local(headers["hx-redirect"]), False, 0.0
    if "hx-location" in headers:
        value = headers["hx-location"]
        if value.startswith("{"):
            value = json.loads(value).get("path", here)
        return _local(value), True, 0.0
    if answer.status == 204 and htmx:  # the poll goes on
        return here, True, -1.0
    if answer.status >= 400:
        return None
    text = answer.text()
    for match in _POLL.finditer(text):
        trigger = _TRIGGER.search(match.group(0))
        every = _EVERY.search(trigger.group(1)) if trigger else None
        if every:
            wait = float(every.group(1)) / (1000 if every.group(2) == "ms" else 1)
            return _local(match.group(1)), True, wait
    if "refresh" in headers:
        target, wait = _refresh(headers["refresh"], here)
        return target, False, wait
    meta = _META.search(text)
    if meta:
        target, wait = _refresh(html.unescape(meta.group(1)), here)
        return target, False, wait
    if answer.status == 202:
        return here, htmx, float(headers.get("retry-after", "1") or 1)
    return None


def fetch(get: Get, path: str, *, timeout: float = 180.0) -> Fetched:
    """Ask for the document at `path` until the PDF arrives (or fail)."""
    start = time.perf_counter()
    here, htmx, requests, poll_wait = path, False, 0, 1.0
    while True:
        answer = get(here, htmx)
        requests += 1
        if answer.status == 200 and answer.content_type.startswith("application/pdf"):
            if not answer.body.startswith(b"%PDF"):
                raise DocumentFailed(f"{path}: the answer says PDF but is not one")
            return Fetched(
                (time.perf_counter() - start) * 1000, requests, len(answer.body), requests > 1
            )
        step = next_step(answer, here, htmx)
        if step is None:
            words = re.sub(r"<[^>]+>", " ", answer.text())
            words = re.sub(r"\s+", " ", words).strip()[:300]
            raise DocumentFailed(
                f"{path}: answer {answer.status} ({answer.content_type or 'no type'}) after "
                f"{requests} request(s) is neither the PDF nor a way to it: {words!r}"
            )
        here, htmx, wait = step
        if wait > 0:
            poll_wait = wait
        elif wait < 0:  # "not yet": wait as the page's poll does
            wait = poll_wait
        if time.perf_counter() - start > timeout:
            raise DocumentFailed(f"{path}: no PDF after {timeout:.0f} s ({requests} requests)")
        time.sleep(min(wait, POLL_CAP))
