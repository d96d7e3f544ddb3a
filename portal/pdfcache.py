"""Where finished documents are kept: a small memory LRU per web worker, and a file cache under
instance/documents/ that every worker of the server reads (see pdf.py for how they are used).

Files of one document, named by its key (a hash, never anything a person typed):

- `<key>.pdf`       the finished document, written to a temporary file and renamed into place;
- `<key>.pending`   a render of it runs: who runs it (host and process) and, by its time of last
                    change, when that process last said it still works on it;
- `<key>.error`     why the last render failed (a reason code), for the next poll to show once.

Keys say how long a document may be kept: `doc-...` documents (the same pages for everyone who
may print them, e.g. a controlled SOP of the day) stay until the folder passes its size limit,
oldest first; `once-...` documents (they name who printed them and when) are kept for the
person who asked until they are handed over (a minute at most, then a few seconds).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import socket
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path

KEY = re.compile(r"^(doc|once|html)-[0-9a-f]{64}$")
HOST = socket.gethostname()
ONCE_SECONDS = 60  # a one-off document waits this long to be fetched once it is finished
HANDED_OVER_SECONDS = 5  # and is kept this much longer once fetched (a browser fetching again)
ERROR_SECONDS = 120  # a failure is shown to polls that arrive within this time


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class MemoryCache:
    """Recently served documents of this process, bounded by count and by bytes."""

    def __init__(self, max_entries: int = 64, max_bytes: int = 16 * 1024 * 1024):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            data = self._items.get(key)
            if data is not None:
                self._items.move_to_end(key)
            return data

    def put(self, key: str, data: bytes) -> None:
        if len(data) > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            self._size -= len(old) if old is not None else 0
            self._items[key] = data
            self._size += len(data)
            while self._items and (
                len(self._items) > self.max_entries or self._size > self.max_bytes
            ):
                _key, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)

    def __contains__(self, key: str) -> bool:
        with self._lock:
            return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0


class FileStore:
    """The documents folder of one server, shared by all its workers."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)

    # --- paths -------------------------------------------------------------------------------
    def path(self, key: str, suffix: str) -> Path:
        if not KEY.match(key):
            raise ValueError("not a document key")
        return self.folder / f"{key}{suffix}"

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One decision at a time across the workers: who starts a render, who takes over."""
        with open(self.folder / ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _write(self, path: Path, data: bytes) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    # --- finished documents ------------------------------------------------------------------
    def read(self, key: str) -> bytes | None:
        path = self.path(key, ".pdf")
        try:
            age = time.time() - path.stat().st_mtime
            if key.startswith("once-") and age > ONCE_SECONDS:
                path.unlink()
                return None
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        if key.startswith("doc-"):
            with contextlib.suppress(OSError):
                os.utime(path)  # recently used: the last to be evicted
        return data

    def write(self, key: str, data: bytes) -> None:
        self._write(self.path(key, ".pdf"), data)

    def handed_over(self, key: str) -> None:
        """A one-off document reached the person who asked: it leaves the folder shortly, so
        that the next print is made anew (with the time, and whatever changed since)."""
        if key.startswith("once-"):
            left = time.time() - ONCE_SECONDS + HANDED_OVER_SECONDS
            with contextlib.suppress(OSError):
                path = self.path(key, ".pdf")
                if path.stat().st_mtime > left:
                    os.utime(path, (left, left))

    # --- renders under way -------------------------------------------------------------------
    def claim(self, key: str, stale_after: float, running_here: set[str]) -> str:
        """Start a render of `key` unless one runs or it is done: 'started', 'pending', 'ready'
        or 'error'. A marker whose process died, or that nobody refreshed for `stale_after`
        seconds, is taken over."""
        with self._locked():
            if self.read(key) is not None:
                return "ready"
            if self.has_error(key):
                return "error"
            if self.is_pending(key, stale_after, running_here):
                return "pending"
            marker = json.dumps({"host": HOST, "pid": os.getpid(), "since": time.time()})
            self._write(self.path(key, ".pending"), marker.encode())
            return "started"

    def is_pending(self, key: str, stale_after: float, running_here: set[str]) -> bool:
        path = self.path(key, ".pending")
        try:
            age = time.time() - path.stat().st_mtime
            owner = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return False
        except ValueError:
            owner = {}
        if age > stale_after:
            return False
        pid = owner.get("pid")
        if owner.get("host") == HOST and isinstance(pid, int):
            if pid == os.getpid():
                return key in running_here
            return _alive(pid)
        return True

    def heartbeat(self, keys) -> None:
        """The owner still works on these (queued or rendering)."""
        for key in keys:
            with contextlib.suppress(OSError):
                os.utime(self.path(key, ".pending"))

    def release(self, key: str) -> None:
        """The render of `key` is over (its PDF or its error is written)."""
        path = self.path(key, ".pending")
        with self._locked():
            try:
                owner = json.loads(path.read_text(encoding="utf-8"))
            except (FileNotFoundError, ValueError):
                return
            if owner.get("host") == HOST and owner.get("pid") == os.getpid():
                path.unlink(missing_ok=True)

    # --- failures ----------------------------------------------------------------------------
    def fail(self, key: str, reason: str) -> None:
        self._write(self.path(key, ".error"), reason.encode())

    def has_error(self, key: str) -> bool:
        path = self.path(key, ".error")
        try:
            age = time.time() - path.stat().st_mtime
        except FileNotFoundError:
            return False
        if age > ERROR_SECONDS:
            path.unlink(missing_ok=True)
            return False
        return True

    def take_error(self, key: str) -> str | None:
        """The reason of the last failure, once: the next request renders anew."""
        path = self.path(key, ".error")
        try:
            age = time.time() - path.stat().st_mtime
            reason = path.read_text(encoding="utf-8").strip()
            path.unlink()
        except FileNotFoundError:
            return None
        return reason if age <= ERROR_SECONDS else None

    # --- upkeep ------------------------------------------------------------------------------
    def sweep(self, max_bytes: int, stale_after: float) -> None:
        """Remove expired one-off documents, old failures and leftovers, then the least
        recently used documents until the folder is within `max_bytes`."""
        now = time.time()
        kept: list[tuple[float, int, str]] = []
        try:
            entries = list(os.scandir(self.folder))
        except FileNotFoundError:
            return
        for entry in entries:
            name = entry.name
            try:
                info = entry.stat()
            except FileNotFoundError:
                continue
            age = now - info.st_mtime
            expired = (
                (name.endswith(".tmp") and age > stale_after + 60)
                or (name.endswith(".error") and age > ERROR_SECONDS)
                or (name.endswith(".pending") and age > 2 * stale_after + 60)
                or (name.startswith("once-") and name.endswith(".pdf") and age > ONCE_SECONDS)
            )
            if expired:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
            elif name.endswith(".pdf"):
                kept.append((info.st_mtime, info.st_size, entry.path))
        total = sum(size for _mtime, size, _path in kept)
        for _mtime, size, path in sorted(kept):
            if total <= max_bytes:
                break
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            total -= size

    def clear(self) -> None:
        for entry in list(os.scandir(self.folder)) if self.folder.exists() else []:
            if entry.name.endswith((".pdf", ".pending", ".error", ".tmp")):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
