"""Where documents are rendered: the PDF processes of this web worker, and the render threads
that wait for them so that no request does (pdf.py decides what a print request answers).

- The PDF processes (PDF_WORKERS per web worker, WeasyPrint in pdfworker.py) are fresh
  interpreters started on first use, at a lower priority than the web workers, and recycled
  after 200 documents. A render over PDF_TIMEOUT kills them; the pool is rebuilt.
- As many render threads as PDF processes take queued documents one at a time, so the time
  limit counts a document's own render, not its wait in the queue. While one waits it refreshes
  the `<key>.pending` marker of every document this worker has queued (pdfcache.py), which
  tells the other workers that those renders are alive.
- At most PDF_QUEUE_LIMIT documents wait per web worker: a burst of prints cannot fill its
  memory with HTML.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import queue
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from portal import pdfworker
from portal.i18n import gettext as _
from portal.pdfcache import FileStore, MemoryCache

TIMED_OUT = "timeout"
FAILED = "failed"
BUSY = "busy"
BEAT_SECONDS = 1.0  # how often a waiting render thread says its documents are still coming


class PdfError(Exception):
    """A document could not be produced; `message` is for the person who asked (`reason` is
    what a render thread, which has no request, keeps for the next poll)."""

    def __init__(self, reason: str = FAILED):
        self.reason = reason if reason in (TIMED_OUT, FAILED, BUSY) else FAILED
        super().__init__(self.reason)

    @property
    def message(self) -> str:
        return reason_message(self.reason)

    def __str__(self) -> str:
        from flask import has_request_context

        return self.message if has_request_context() else self.reason


def reason_message(reason: str) -> str:
    if reason == TIMED_OUT:
        return _("The document took too long to prepare and was stopped. Try a smaller one.")
    if reason == BUSY:
        return _("Many documents are being prepared right now. Try again in a moment.")
    return _("The document could not be prepared.")


@dataclass(frozen=True)
class Settings:
    """What a render needs from the app, read in the request (render threads have no app)."""

    timeout: float
    workers: int
    nice: int
    inline_wait: float
    queue_limit: int
    cache_bytes: int
    static_folder: str
    logger: Any

    @classmethod
    def of(cls, app) -> Settings:
        cfg = app.config
        return cls(
            timeout=float(cfg["PDF_TIMEOUT"]),
            workers=max(1, int(cfg["PDF_WORKERS"])),
            nice=int(cfg.get("PDF_NICE", 0)),
            inline_wait=float(cfg.get("PDF_INLINE_WAIT", 0)),
            queue_limit=max(1, int(cfg.get("PDF_QUEUE_LIMIT", 32))),
            cache_bytes=int(cfg.get("PDF_CACHE_BYTES", 200 * 1024 * 1024)),
            static_folder=app.static_folder,
            logger=app.logger,
        )

    @property
    def stale_after(self) -> float:
        """A pending marker nobody refreshed for this long belongs to a lost render."""
        return max(self.timeout, 5 * BEAT_SECONDS)


@dataclass(eq=False)
class Job:
    key: str
    html: str
    store: FileStore
    settings: Settings
    memory: MemoryCache | None  # where this worker keeps it too (documents for everyone)
    done: threading.Event = field(default_factory=threading.Event)


_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_generation = 0  # of the pool; a render whose pool was replaced under it tries once more
_jobs: dict[str, Job] = {}  # the documents this process has queued or renders
_queue: queue.SimpleQueue[Job] = queue.SimpleQueue()
_threads: list[threading.Thread] = []


def _after_fork() -> None:
    """A forked worker starts with no pool, no render threads and no documents of its own."""
    global _lock, _pool, _jobs, _queue, _threads
    _lock = threading.Lock()
    _pool, _jobs, _queue, _threads = None, {}, queue.SimpleQueue(), []


os.register_at_fork(after_in_child=_after_fork)


# --- the PDF processes ------------------------------------------------------------------------
def get_pool(settings: Settings) -> tuple[ProcessPoolExecutor, int]:
    """The PDF processes and their generation. A process that cannot start breaks the pool at
    once (BrokenProcessPool) instead of being restarted in a loop."""
    global _pool, _generation
    with _lock:
        if _pool is None:
            _generation += 1
            _pool = ProcessPoolExecutor(
                max_workers=settings.workers,
                mp_context=multiprocessing.get_context("spawn"),
                max_tasks_per_child=200,
                initializer=pdfworker.start,
                initargs=(settings.nice,),
            )
        return _pool, _generation


def kill_pool(generation: int | None = None) -> None:
    """Stop the PDF processes now, even one busy with a runaway document (only the pool of
    `generation` when given: a newer pool is left alone)."""
    global _pool
    with _lock:
        if _pool is None or (generation is not None and generation != _generation):
            return
        pool, _pool = _pool, None
    for process in list((pool._processes or {}).values()):
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def worker_pids() -> list[int]:
    pool = _pool
    return [p.pid for p in (pool._processes or {}).values()] if pool is not None else []


def render(html: str, settings: Settings, beat=None) -> bytes:
    """WeasyPrint in a PDF process, stopped after settings.timeout seconds; `beat` is called
    about every second while it runs. A render whose pool was killed for another document (a
    runaway beside it) is tried once more on a new pool. Counted in the metrics by outcome."""
    from portal import metrics

    started = time.monotonic()
    try:
        document = _render(html, settings, beat)
    except PdfError as error:
        metrics.pdf_rendered(error.reason)
        raise
    metrics.pdf_rendered("ok", time.monotonic() - started)
    return document


def _render(html: str, settings: Settings, beat=None) -> bytes:
    for attempt in range(2):
        pool, generation = get_pool(settings)
        try:
            future = pool.submit(pdfworker.render, html, settings.static_folder)
        except (BrokenProcessPool, RuntimeError):
            kill_pool(generation)
            continue
        deadline = time.monotonic() + settings.timeout
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    kill_pool(generation)
                    raise PdfError(TIMED_OUT)
                try:
                    return future.result(timeout=min(left, BEAT_SECONDS))
                except FutureTimeout:
                    if beat is not None:
                        beat()
        except PdfError:
            raise
        except BrokenProcessPool as exc:
            replaced = _pool is None or generation != _generation
            kill_pool(generation)
            if attempt == 0 and replaced:
                continue
            settings.logger.exception("the PDF process stopped")
            raise PdfError(FAILED) from exc
        except Exception as exc:  # the worker raised: report, do not crash the web process
            settings.logger.exception("PDF rendering failed")
            raise PdfError(FAILED) from exc
    raise PdfError(FAILED)


# --- render threads ---------------------------------------------------------------------------
def start(store: FileStore, key: str, html: str, settings: Settings, memory=None) -> str:
    """Queue the render of `key` unless it runs (here or in another worker) or is done:
    'pending' (queued now, or already under way), 'busy' (the queue is full), or 'ready' /
    'error' (it finished meanwhile)."""
    with _lock:
        if key in _jobs:
            return "pending"
        if len(_jobs) >= settings.queue_limit:
            return "busy"
        outcome = store.claim(key, settings.stale_after, set(_jobs))
        if outcome != "started":
            return outcome
        job = _jobs[key] = Job(key, html, store, settings, memory)
        _threads[:] = [thread for thread in _threads if thread.is_alive()]
        while len(_threads) < settings.workers:
            thread = threading.Thread(target=_serve, name="pdf-render", daemon=True)
            thread.start()
            _threads.append(thread)
        _queue.put(job)
        return "pending"


def running() -> set[str]:
    with _lock:
        return set(_jobs)


def job_for(key: str) -> Job | None:
    with _lock:
        return _jobs.get(key)


def wait_for_renders(timeout: float = 120.0) -> bool:
    """Wait until this process has no document queued or rendering (tests, benchmarks)."""
    deadline = time.monotonic() + timeout
    while True:
        with _lock:
            jobs = list(_jobs.values())
        if not jobs:
            return True
        left = deadline - time.monotonic()
        if left <= 0 or not jobs[0].done.wait(left):
            return False


def _serve() -> None:
    while True:
        job = _queue.get()
        try:
            _run(job)
        except Exception:
            job.settings.logger.exception("a document could not be stored")
        finally:
            with _lock:
                if _jobs.get(job.key) is job:
                    del _jobs[job.key]
            job.done.set()


def _beat() -> None:
    with _lock:
        jobs = list(_jobs.values())
    for job in jobs:
        job.store.heartbeat([job.key])


def _run(job: Job) -> None:
    store = job.store
    store.heartbeat([job.key])  # it leaves the queue: its time limit starts now
    try:
        try:
            data = render(job.html, job.settings, beat=_beat)
        except PdfError as error:
            store.fail(job.key, error.reason)
        else:
            if job.memory is not None:
                job.memory.put(job.key, data)
            try:
                store.write(job.key, data)
            except OSError:
                job.settings.logger.exception("a document could not be stored")
                with contextlib.suppress(OSError):
                    store.fail(job.key, FAILED)
    finally:
        store.release(job.key)
    store.sweep(job.settings.cache_bytes, job.settings.stale_after)


def _at_exit() -> None:
    """A worker that stops hands its unfinished documents back: the next poll starts them."""
    with _lock:
        jobs = list(_jobs.values())
    for job in jobs:
        with contextlib.suppress(OSError):
            job.store.release(job.key)
    kill_pool()


atexit.register(_at_exit)
