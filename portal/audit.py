"""Writing and verifying the audit trail.

record() is called by every service that changes something, inside the same transaction, so the
change and its audit row commit or roll back together. Rows form a hash chain: a row edited or
deleted outside the portal is found by `flask audit verify`; on PostgreSQL and on SQLite triggers
refuse UPDATE and DELETE on the table (see the migrations). This is SECURITY.md's "Audit trail"
promise: append-only, each row carrying the hash of the previous one, checked by a command.

A chain alone cannot show that its newest rows were removed, nor that a row was edited and every
later hash recomputed. So the head of the chain is also kept outside the database: a checkpoint
(the last row's id, its hash and the number of rows up to it), signed with an HMAC under the
app's SECRET_KEY, which the database does not hold, written atomically to
instance/audit-head.json (or AUDIT_HEAD_PATH) and to the log each time one is taken. verify()
checks the rows up to the checkpoint against it and the rows after it by the chain only, so
ordinary writes after a checkpoint never look like tampering. The checkpoint moves forward at
the end of every intact `flask audit verify` and with `flask audit checkpoint`; it is replaced
deliberately (`flask audit checkpoint --replace`) after restoring a backup, re-creating the
database or changing SECRET_KEY, the only legitimate events that shorten or re-sign the chain.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import hmac
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app, has_request_context, request
from sqlalchemy import Connection, ForeignKey, Index, String, func, select, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import UTCDateTime, advisory_lock, utcnow
from portal.extensions import db
from portal.i18n import lazy_gettext as _l
from portal.i18n import lazy_pgettext as pgettext  # lazy; named so that extraction finds it

GENESIS = "0" * 64


class AuditEvent(db.Model):
    """One row of the append-only trail. Each row carries the hash of the previous one."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_property_occurred", "property_id", "occurred_at"),
        Index("ix_audit_events_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    property_id: Mapped[int | None] = mapped_column(ForeignKey("properties.id"))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(String(500), default="")
    ip: Mapped[str | None] = mapped_column(String(45))
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64), unique=True)

    # The people module maps "users"; the core names it without importing it.
    actor = relationship("User")


# What the core itself writes; each module adds the labels of its own actions.
CORE_ACTIONS = {
    "access.refused": _l("Access refused"),
    "demo.seeded": _l("Demo data loaded"),
}


def _digest(prev_hash: str, event: AuditEvent) -> str:
    payload = json.dumps(
        [
            prev_hash,
            event.occurred_at.isoformat(),
            event.actor_id,
            event.property_id,
            event.action,
            event.object_type,
            event.object_id,
            event.summary,
            event.ip,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    action: str,
    obj=None,
    *,
    actor,
    summary: str = "",
    property_id: int | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
) -> AuditEvent:
    """Append one audit row for `action` on `obj` (a model instance) and flush.

    `actor` is the person who acted, passed by the caller (None only when nobody is known, as
    for a failed sign-in with an unknown name); the trail never guesses it from the request.
    """
    if obj is not None:
        if obj.id is None:
            db.session.flush([obj])
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else obj.id
        if property_id is None:
            property_id = getattr(obj, "property_id", None)
    if property_id is None and actor is not None:
        property_id = actor.property_id
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        property_id=property_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:500],
        ip=request.remote_addr if has_request_context() else None,
    )
    advisory_lock("audit_events")
    last = db.session.scalar(select(AuditEvent.row_hash).order_by(AuditEvent.id.desc()).limit(1))
    event.prev_hash = last or GENESIS
    event.row_hash = _digest(event.prev_hash, event)
    db.session.add(event)
    db.session.flush([event])
    return event


def newest_change(property_id: int):
    """SQL, a scalar: when the newest audit row of a property was written. Every change writes
    one, so a summary keyed by this time (portal.memo) is recomputed after any change and
    never before (read from the index on property and time, whatever the trail's length)."""
    return (
        select(func.max(AuditEvent.occurred_at))
        .where(AuditEvent.property_id == property_id)
        .scalar_subquery()
    )


def describe_changes(before: dict, after: dict) -> str:
    """A short 'field: old -> new' summary; secrets never appear (callers pass no secrets)."""
    parts = [
        f"{key}: {before.get(key)!s} -> {after.get(key)!s}"
        for key in after
        if before.get(key) != after.get(key)
    ]
    return "; ".join(parts)


# --- The signed head -----------------------------------------------------------------------

HEAD_FILE = "audit-head.json"
_HEAD_CONTEXT = b"staffroom audit head v1\n"


@dataclass(frozen=True)
class Checkpoint:
    """The head of the chain when it was last known good: rows up to last_id, count of them."""

    last_id: int  # 0 for an empty trail
    last_hash: str
    count: int
    taken_at: str

    def _message(self) -> bytes:
        fields = [self.last_id, self.last_hash, self.count, self.taken_at]
        return _HEAD_CONTEXT + json.dumps(fields, separators=(",", ":")).encode("utf-8")

    def signature(self, key: str | bytes) -> str:
        key = key.encode("utf-8") if isinstance(key, str) else key
        return hmac.new(key, self._message(), hashlib.sha256).hexdigest()


class CheckpointError(Exception):
    """The checkpoint file is missing, unreadable or not signed with this app's key."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind  # "missing" or "bad"


def head_path() -> Path:
    configured = current_app.config.get("AUDIT_HEAD_PATH")
    return Path(configured) if configured else Path(current_app.instance_path) / HEAD_FILE


def _signing_key() -> str | bytes:
    key = current_app.config.get("SECRET_KEY")
    if not key:
        raise RuntimeError("SECRET_KEY is needed to sign the audit checkpoint")
    return key


def read_checkpoint(path: Path | None = None) -> Checkpoint:
    """The signed checkpoint; CheckpointError when it is missing, damaged or forged."""
    path = path or head_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CheckpointError("missing", f"no signed checkpoint at {path}") from None
    try:
        data = json.loads(raw)
        checkpoint = Checkpoint(
            last_id=int(data["last_id"]),
            last_hash=str(data["last_hash"]),
            count=int(data["count"]),
            taken_at=str(data["taken_at"]),
        )
        signature = str(data["signature"])
    except (ValueError, KeyError, TypeError):
        raise CheckpointError("bad", f"the checkpoint at {path} is not readable") from None
    if not hmac.compare_digest(signature, checkpoint.signature(_signing_key())):
        raise CheckpointError("bad", f"the checkpoint at {path} is not signed with this app's key")
    return checkpoint


def write_checkpoint(checkpoint: Checkpoint, path: Path | None = None) -> Path:
    """Write the signed checkpoint atomically (a temporary file renamed over the old one)."""
    path = path or head_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {
        "last_id": checkpoint.last_id,
        "last_hash": checkpoint.last_hash,
        "count": checkpoint.count,
        "taken_at": checkpoint.taken_at,
        "signature": checkpoint.signature(_signing_key()),
    }
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(body, handle, indent=2)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where the OS allows
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    current_app.logger.info(
        "audit checkpoint taken: row %s, hash %s, %s rows, at %s, signature %s (%s)",
        body["last_id"],
        body["last_hash"],
        body["count"],
        body["taken_at"],
        body["signature"],
        path,
    )
    return path


# --- Verifying -------------------------------------------------------------------------------


@dataclass
class VerifyResult:
    checked: int
    first_bad_id: int | None
    reason: str = ""
    # How the rows compare with the signed checkpoint: "matched", "missing" or "bad"
    # (the file could not be trusted; see head_problem), or "not checked".
    head: str = "not checked"
    head_problem: str = ""
    # The head of the chain as read: what a new checkpoint would record.
    last_id: int = 0
    last_hash: str = GENESIS

    @property
    def chain_intact(self) -> bool:
        return self.first_bad_id is None and not self.reason

    @property
    def intact(self) -> bool:
        """The chain holds and it matches a trusted checkpoint."""
        return self.chain_intact and self.head == "matched"

    def checkpoint(self) -> Checkpoint:
        return Checkpoint(self.last_id, self.last_hash, self.checked, utcnow().isoformat())


_NO_CHECKPOINT = object()


def verify(checkpoint=_NO_CHECKPOINT) -> VerifyResult:
    """Walk the chain in order; report the first row whose hash or link does not match, then
    compare the rows up to the signed checkpoint with it.

    `checkpoint` defaults to the signed file (head_path()); pass None to check the chain alone.
    Rows at or below the checkpointed id must end in the checkpointed hash at that id, and be
    as many as it counted (else the chain was rewritten, or rows were removed); rows after it
    are checked by the chain only.
    """
    head, head_problem = "not checked", ""
    if checkpoint is _NO_CHECKPOINT:
        try:
            checkpoint = read_checkpoint()
        except CheckpointError as exc:
            checkpoint, head, head_problem = None, exc.kind, str(exc)
    prev = GENESIS
    checked = 0
    last_id = 0
    upto = 0  # rows with id <= checkpoint.last_id
    hash_at_head: str | None = None
    query = select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=500)
    with db.session.scalars(query) as rows:  # a server-side cursor on PostgreSQL: close it
        for event in rows:
            checked += 1
            if event.prev_hash != prev:
                return VerifyResult(checked, event.id, "link to the previous row is broken")
            if _digest(prev, event) != event.row_hash:
                return VerifyResult(checked, event.id, "row content does not match its hash")
            prev = event.row_hash
            last_id = event.id
            if checkpoint is not None and event.id <= checkpoint.last_id:
                upto += 1
                if event.id == checkpoint.last_id:
                    hash_at_head = event.row_hash
    result = VerifyResult(checked, None, head=head, head_problem=head_problem)
    result.last_id, result.last_hash = last_id, prev
    if checkpoint is None:
        return result
    result.head = "matched"
    if checkpoint.last_id == 0:
        pass  # checkpointed while empty: every row is newer
    elif hash_at_head is None and last_id < checkpoint.last_id:
        result.first_bad_id = checkpoint.last_id
        result.reason = (
            f"the trail was truncated: it ends at row {last_id or 'none'}, before the "
            f"checkpointed row {checkpoint.last_id} ({checkpoint.count} rows up to it "
            f"checkpointed, {upto} found)"
        )
    elif hash_at_head is None:
        result.first_bad_id = checkpoint.last_id
        result.reason = (
            f"the checkpointed row {checkpoint.last_id} is gone and the chain was rewritten "
            "around it"
        )
    elif hash_at_head != checkpoint.last_hash:
        result.first_bad_id = checkpoint.last_id
        result.reason = (
            f"the chain was rewritten: row {checkpoint.last_id} no longer has the checkpointed hash"
        )
    if not result.reason and upto != checkpoint.count:
        result.first_bad_id = checkpoint.last_id
        result.reason = (
            f"rows were removed: {checkpoint.count} rows up to row {checkpoint.last_id} "
            f"checkpointed, {upto} found"
        )
    return result


@contextlib.contextmanager
def append_only_suspended(connection: Connection) -> Iterator[None]:
    """Maintenance path: lift the database's append-only guard for the enclosing transaction.

    For emptying a test database and nothing else: the triggers come back (SQLite: recreated
    from their own definitions) before the transaction ends, and a change made here breaks the
    chain or the signed checkpoint as any other would.
    """
    dialect = connection.dialect.name
    saved: list[tuple[str, str]] = []
    if dialect == "postgresql":
        if connection.execute(text("SHOW session_replication_role")).scalar() == "replica":
            dialect = "postgresql, triggers already off"  # nothing to lift or to restore
        else:
            connection.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
    elif dialect == "sqlite":
        saved = list(
            connection.execute(
                text(
                    "SELECT name, sql FROM sqlite_master "
                    "WHERE type = 'trigger' AND tbl_name = 'audit_events'"
                )
            ).tuples()
        )
        for name, _sql in saved:
            connection.execute(text(f'DROP TRIGGER "{name}"'))
    try:
        yield
    except BaseException:
        # PostgreSQL: the failed transaction must roll back, and that restores the trigger.
        for _name, sql in saved:
            connection.execute(text(sql))
        raise
    if dialect == "postgresql":
        connection.execute(text("ALTER TABLE audit_events ENABLE TRIGGER USER"))
    for _name, sql in saved:
        connection.execute(text(sql))


def action_label(action: str) -> str:
    """The readable name of an audit action; the raw code when no module names it."""
    from portal import modules

    label = CORE_ACTIONS.get(action) or modules.audit_actions().get(action)
    return str(label) if label is not None else action


def object_label(object_type: str | None) -> str:
    from portal import modules

    label = modules.audit_objects().get(object_type or "")
    return str(label) if label is not None else (object_type or "")


# --- Reading the trail in the reader's language ----------------------------------------------
# A summary is written once, in English words and codes, in one of two shapes that are read
# back here: "key=value key=value" (what happened) and "key: old -> new; key: old -> new" (what
# changed); any other summary is shown as it was written. Stored rows never change: only how
# they are shown follows the reader's language. The core names the keys it writes below; each
# module names its own with name_details() when it declares itself.


@dataclass(frozen=True)
class DetailKey:
    """How to show one key of the summaries: its label, and how to show a stored value
    (`value(stored, event)`, stored None for an empty value) when it is a code."""

    label: object  # a lazy translatable string
    value: Callable[[str | None, AuditEvent], str] | None = None


@dataclass(frozen=True)
class Detail:
    """One readable part of a summary: free text (no label), a value, or a change."""

    label: str | None
    value: str = ""
    old: str | None = None
    new: str | None = None

    @property
    def is_change(self) -> bool:
        return self.old is not None


_DETAIL_KEYS: dict[str, DetailKey] = {}
_PHRASES: dict[str, object] = {}
_CHANGE = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_ ]{0,39}): (?P<old>.*?) -> (?P<new>.*)", re.S)
_EMPTY = {"", "None", "-", "[]"}


def name_details(
    keys: dict[str, DetailKey | object] | None = None, phrases: dict[str, object] | None = None
) -> None:
    """Name the keys (and whole summaries) a module writes, so the trail shows them readably.

    `keys`: key -> DetailKey, or a lazy label alone. `phrases`: a regular expression that a
    whole summary matches -> a lazy text, whose %(name)s placeholders take the named groups.
    """
    for key, spec in (keys or {}).items():
        _DETAIL_KEYS[key] = spec if isinstance(spec, DetailKey) else DetailKey(spec)
    _PHRASES.update(phrases or {})
    _key_pattern.cache_clear()


@functools.cache
def _key_pattern() -> re.Pattern | None:
    keys = sorted(_DETAIL_KEYS, key=len, reverse=True)
    if not keys:
        return None
    return re.compile(r"(?:^|(?<=\s))(?P<key>" + "|".join(map(re.escape, keys)) + r")=")


def _label(key: str) -> str:
    spec = _DETAIL_KEYS.get(key)
    return str(spec.label) if spec is not None else key


def _value(key: str, stored: str, event: AuditEvent) -> str:
    from portal.i18n import join_list

    stored = stored.strip()
    spec = _DETAIL_KEYS.get(key)
    render = spec.value if spec is not None else None
    if stored.startswith("[") and stored.endswith("]"):
        try:
            items = ast.literal_eval(stored)
        except (ValueError, SyntaxError):
            items = None
        if isinstance(items, list):
            if not items:
                return "—"
            return join_list(_one(render, str(item), event) for item in items)
    if stored in ("True", "False"):
        return str(_l("Yes") if stored == "True" else _l("No"))
    return _one(render, stored, event)


def _one(render, stored: str, event: AuditEvent) -> str:
    empty = stored in _EMPTY
    if render is None:
        return "—" if empty else stored
    try:
        return render(None if empty else stored, event)
    except Exception:  # a value the renderer does not know (an older row): as it was written
        return "—" if empty else stored


def details(event: AuditEvent) -> list[Detail]:
    """The summary of `event` in the reader's language, as a list of parts."""
    summary = (event.summary or "").strip()
    if not summary:
        return []
    for pattern, phrase in _PHRASES.items():
        if found := re.fullmatch(pattern, summary):
            return [Detail(None, str(phrase) % found.groupdict())]
    changes = [_CHANGE.fullmatch(part) for part in summary.split("; ")]
    if all(changes):
        return [
            Detail(
                _label(m["key"]),
                old=_value(m["key"], m["old"], event),
                new=_value(m["key"], m["new"], event),
            )
            for m in changes
        ]
    pattern = _key_pattern()
    found = list(pattern.finditer(summary)) if pattern is not None else []
    if not found:
        return [Detail(None, summary)]
    parts = []
    if lead := summary[: found[0].start()].strip():
        parts.append(Detail(None, lead))
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(summary)
        key = match["key"]
        parts.append(Detail(_label(key), _value(key, summary[match.end() : end], event)))
    return parts


def details_text(event: AuditEvent) -> str:
    """The readable summary on one line (the CSV's column)."""
    return "; ".join(
        f"{d.label}: {d.old} → {d.new}"
        if d.is_change
        else (f"{d.label}: {d.value}" if d.label else d.value)
        for d in details(event)
    )


def _language(stored: str | None, event: AuditEvent) -> str:
    from portal.i18n import LANGUAGE_NAMES

    if stored is None:
        return str(_l("As the browser says"))
    return LANGUAGE_NAMES[stored]


def _coded(labels: dict[str, object]) -> Callable[[str | None, AuditEvent], str]:
    def render(stored: str | None, event: AuditEvent) -> str:
        return "—" if stored is None else str(labels[stored])

    return render


SESSION_END_REASONS = {
    "idle": _l("nobody used the screen for a while"),
    "expired": _l("time limit reached"),
    "switched": _l("next person on the terminal"),
    "signed_out": _l("signed out"),
    "deactivated": _l("account deactivated"),
    "inactive": _l("account deactivated"),
    "reset": _l("new PIN or password set"),
    "locked": _l("account locked"),
    "device": _l("another device"),
    "ended": _l("ended"),
    "unknown": _l("not known"),
}

name_details(
    {
        "locale": DetailKey(_l("Language"), _language),
        "reason": DetailKey(_l("Reason"), _coded(SESSION_END_REASONS)),
        "failures": _l("Failed attempts in a row"),
        "check": _l("Check"),
        "identifier": DetailKey(_l("Name typed"), _coded({"unknown": _l("not known")})),
        "ref": _l("Reference"),
        "name": pgettext("record", "Name"),  # a terminal's, say: not a person's 姓名
        "location": _l("Location"),
        "sessions ended": _l("Sessions ended"),
    },
    phrases={
        "terminal": _l("On a shared terminal"),
        "no change": _l("Nothing changed"),
        r"locked for (?P<minutes>\d+) minutes": _l("Locked for %(minutes)s minutes"),
    },
)
