"""Taps under load: people on tablets tapping rows of one list at once, on gunicorn, beside the
bare-bones fragment of the same run. Shared by the attendance benchmark (bench/attendance.py)
and the drill roll-call benchmark (bench/rollcall.py); each says what it taps (a TapBench).

For each database the run sets up a fresh instance (`flask db upgrade`, `flask seed-demo`), adds
what the taps need (TapBench.prepare), starts the portal under gunicorn (2 sync workers, as the
load benchmark) and the bare-bones anchors beside it, signs in through the real form as the
role that taps, reads the CSRF token from the page of the list, and drives the taps (htmx POSTs
with the token) with wrk. Each tap changes its row, so each one writes; the rows written are
counted in the database afterwards, and answers that refused a tap are counted by their message.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402

ROUNDS = 3
_CSRF_META = re.compile(r'"X-CSRFToken": "([^"]+)"')


@dataclass(frozen=True)
class TapBench:
    title: str  # the report's heading
    command: str  # the documented command
    role: str  # who taps (a demo account of the hotel)
    connections: int  # wrk connections: the people tapping at once
    target_p95_ms: float
    report: Path
    what: str  # a sentence: what one tap does
    refused_text: str  # the answer's words when a tap was refused (counted, not written)
    prepare: Callable[[], object]  # in an app context; commits; returns what the taps name
    page: Callable[[object], str]  # the list's page (its CSRF token)
    lines: Callable[[str, str, object], list[str]]  # (cookie, token, prepared) -> wrk lines
    first_tap: Callable[[object, str], tuple[str, dict, str]]  # -> path, form, expected text
    written: Callable[[str], int]  # rows written so far, from the database URL


def count_rows(url: str, table) -> int:
    from sqlalchemy import create_engine, func, select

    from bench.bare import database_url

    engine = create_engine(database_url(url))
    try:
        with engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(table))
    finally:
        engine.dispose()


def one_database(bench: TapBench, db: str, opts, tmp: Path) -> dict:
    run = load.Run(db, "demo", opts, tmp)
    started = time.perf_counter()
    if db == "postgresql":
        load._reset_postgres(run.url)
    run.flask("db", "upgrade")
    run.flask("seed-demo")
    from bench import bare

    bare.prepare(run.bare_url)
    os.environ.update(run.env)
    from portal import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": run.url})
    with app.test_request_context():
        prepared = bench.prepare()
        from portal.extensions import db as portal_db

        portal_db.session.remove()
        portal_db.engine.dispose()
    load.log(f"  set up in {time.perf_counter() - started:.0f} s")
    portal = load.Server("the portal", "app:app", run.env, run.dir / "portal.log")
    anchors = load.Server(
        "the bare-bones anchors",
        "bench.bare:create_app()",
        {"BENCH_BARE_DATABASE_URL": run.bare_url},
        run.dir / "bare.log",
    )
    env = {"BENCH_WRK_REFUSED": bench.refused_text}
    try:
        portal.wait_ready("/auth/login")
        anchors.wait_ready("/bare")
        browser = load.sign_in(portal.port, bench.role)
        page = browser.get(bench.page(prepared))
        found = _CSRF_META.search(page.text())
        if page.status != 200 or not found:
            raise load.BenchFailure(f"the list's page answered {page.status} without a token")
        token = found.group(1)
        lines = bench.lines(browser.cookie_header(), token, prepared)
        # One tap by hand first: it must answer the row, not an error or the sign-in page.
        path, form, expected = bench.first_tap(prepared, token)
        first = browser.request("POST", path, form=form, htmx=True)
        if first.status != 200 or expected not in first.text():
            raise load.BenchFailure(f"a tap answered {first.status}: {first.text()[:300]!r}")
        load.wrk_mix(portal.port, lines, 2, run.dir, "warm-up taps", env=env)
        before = bench.written(run.env["PORTAL_DATABASE_URL"])
        samples, fragments = [], []
        for number in range(1, opts.rounds + 1):
            load.log(f"  round {number} of {opts.rounds} (load average {load.load_average():.1f})")
            portal.drain()
            fragments.append(load.wrk(anchors.port, "/bare/fragment", opts.duration, {}, "anchor"))
            portal.drain()
            # Lines made again for each round: a tap that carries a one-time key (a stock
            # issue's idempotency key) must not be a replay of the round before.
            lines = bench.lines(browser.cookie_header(), token, prepared)
            samples.append(
                load.wrk_mix(portal.port, lines, opts.duration, run.dir, "taps", env=env)
            )
        written = bench.written(run.env["PORTAL_DATABASE_URL"]) - before
    finally:
        portal.stop()
        anchors.stop()
    requests = sum(s.requests for s in samples)
    refused = sum(s.raw.get("refused", 0) for s in samples)
    result = {
        "db": db,
        "requests": requests,
        "req_s": sum(s.req_s for s in samples) / len(samples),
        "p50": sorted(s.p50 for s in samples)[len(samples) // 2],
        "p95": sorted(s.p95 for s in samples)[len(samples) // 2],
        "p95_worst": max(s.p95 for s in samples),
        "p99": sorted(s.p99 for s in samples)[len(samples) // 2],
        "anchor_req_s": sum(f.req_s for f in fragments) / len(fragments),
        "anchor_p95": sorted(f.p95 for f in fragments)[len(fragments) // 2],
        "written": written,
        "refused": refused,
        "load": load.load_average(),
    }
    result["ratio"] = result["req_s"] / result["anchor_req_s"] if result["anchor_req_s"] else 0
    # A tap that changed nothing would flatter the number: nearly every one must have written.
    result["honest"] = written >= 0.9 * (requests - refused)
    result["met"] = result["p95"] < bench.target_p95_ms and result["honest"]
    return result


def report(bench: TapBench, results: list[dict], opts, seconds: float) -> str:
    lines = [
        f"# {bench.title}",
        "",
        f"Written by `{bench.command}` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit "
        f"{load._git()}, {load._cpu()}; {opts.rounds} rounds of {opts.duration} s, "
        f"wrk -t{load.THREADS} -c{bench.connections}, gunicorn {load.server_shape()}; "
        f"{seconds:.0f} s in all.",
        "",
        f"{bench.what} Target: p95 < {bench.target_p95_ms:.0f} ms at {bench.connections} "
        "people tapping at once.",
        "",
        "| database | taps | taps/s | p50 ms | p95 ms (median of rounds) | worst round p95 | "
        "p99 ms | rows written | refused | bare-bones fragment req/s, "
        "p95 ms | taps/s ÷ fragment req/s | target |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {load.DB_NAMES[r['db']]} | {r['requests']:,} | {r['req_s']:.0f} | {r['p50']:.1f} "
            f"| {r['p95']:.1f} | {r['p95_worst']:.1f} | {r['p99']:.1f} | {r['written']:,} "
            f"| {r['refused']} | {r['anchor_req_s']:.0f}, {r['anchor_p95']:.1f} "
            f"| {r['ratio']:.2f} | {load.mark(r['met'])} |"
        )
    lines += [
        "",
        "Load average at the end of each database run: "
        + ", ".join(f"{load.DB_NAMES[r['db']]} {r['load']:.1f}" for r in results)
        + f" ({os.cpu_count()} cores).",
        "",
    ]
    return "\n".join(lines)


def main(bench: TapBench, doc: str, argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="postgresql")
    parser.add_argument("--duration", type=int, default=8, help="seconds of wrk per round")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", load.DEFAULT_PG_URL))
    parser.add_argument("--report", type=Path, default=bench.report)
    opts = parser.parse_args(argv)
    load.CONNECTIONS = bench.connections  # this process runs this benchmark only
    databases = ["sqlite", "postgresql"] if opts.db == "both" else [opts.db]
    started = time.perf_counter()
    results = []
    try:
        with tempfile.TemporaryDirectory(prefix="staffroom-taps-") as tmp:
            for db in databases:
                load.log(f"{load.DB_NAMES[db]}:")
                results.append(one_database(bench, db, opts, Path(tmp)))
    except load.BenchFailure as failure:
        load.log(f"\nBENCHMARK FAILED: {failure}")
        return 2
    text = report(bench, results, opts, time.perf_counter() - started)
    opts.report.write_text(text, encoding="utf-8")
    load.log("\n" + text)
    return 0 if all(r["met"] for r in results) else 1
