"""Results this process keeps under a key that names everything they depend on.

A home card that sums up a whole property (e.g. training compliance per department) costs a
statement over every person and requirement. Its inputs change only when somebody changes
something, and every change writes the audit trail; so the card keys its result by the
property, the newest audit time of that property, the day and a short time bucket (for what
the clock alone changes), and asks the memo. A key nobody has asked before is computed; the
same key again costs nothing. Nothing is ever invalidated by hand: a change makes a new key,
and the oldest keys are dropped.

Each web worker keeps its own entries (they are small); the answer is the same in every
worker, because the key names all it depends on. `PORTAL_MEMO = False` computes every time
(the query-count tests assert that worst case).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app

_memos: weakref.WeakSet[Memo] = weakref.WeakSet()


class Memo:
    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        _memos.add(self)

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        if not current_app.config.get("PORTAL_MEMO", True):
            return compute()
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = compute()  # outside the lock: two threads may both compute a new key once
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def clear_all() -> None:
    """Forget every memo's entries (tests start each with none)."""
    for memo in list(_memos):
        memo.clear()
