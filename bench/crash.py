"""Crash proof: thousands of signed order webhooks while web and job processes are SIGKILLed.

For each database (SQLite file, PostgreSQL): migrate with `encore db upgrade`, install a Shopify
store, start gunicorn (2 workers) and 2 `encore worker` processes and a local SMTP sink. A
bounded client (a thread pool) sends signed `orders/create` webhooks, one distinct order and
shopper each, plus `fulfillments/create` for some of them (a shipping email each), and re-sends
a share of them with the same event id, some at the same moment as the original. It retries
like Shopify: a connection error or a 5xx is tried again, a 2xx means accepted. Meanwhile two
chaos threads (seeded) SIGKILL, at random moments, the gunicorn master or a gunicorn worker,
and an `encore worker`, and restart them. Once the inbox has drained it checks that every accepted
event was processed exactly once: orders, line items, counters, shipments and emails.
Exit status 1 when a check fails. Run: `.venv/bin/python bench/crash.py` (`make bench-crash`).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from random import Random
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import servers
from bench.crash_checks import (
    Report,
    check_counters,
    check_duplicates,
    check_inbox,
    check_orders,
    check_sending,
    check_shipments,
    count_rows,
)
from bench.crash_traffic import Plan, Sent, WebhookClient, make_plan

FIXTURES = servers.ROOT / "tests" / "fixtures" / "shopify"
PRODUCTS = 40  # products in the shop; each order has 1-4 of them
WEB_WORKERS = 2
JOB_WORKERS = 2
LEASE_SECONDS = 20  # a killed worker's claim is taken over after this long
SEND_DEADLINE_SECONDS = 120.0  # per delivery: Shopify retries for 48 hours, we for 2 minutes


# --- chaos -----------------------------------------------------------------------------------


Strike = Callable[[Random], str]


class Chaos(threading.Thread):
    """At seeded random moments, SIGKILLs a process of one kind and brings it back.

    The next strike is timed from the moment the last one recovered, so the service is down
    in bursts, not all the time.
    """

    def __init__(self, strike: Strike, rng: Random, every: float, max_kills: int) -> None:
        super().__init__(daemon=True)
        self.strike, self.rng, self.every, self.max_kills = strike, rng, every, max_kills
        self.stop = threading.Event()
        self.kills: Counter[str] = Counter()
        self.errors: list[str] = []

    def run(self) -> None:
        while sum(self.kills.values()) < self.max_kills:
            if self.stop.wait(self.rng.uniform(0.5, 1.5) * self.every):
                return
            try:
                self.kills[self.strike(self.rng)] += 1
            except Exception as exc:  # reported, and the run goes on (the checks will tell)
                self.errors.append(f"{type(exc).__name__}: {exc}")


def strike_web(web: servers.WebServer) -> Strike:
    def strike(rng: Random) -> str:
        if rng.random() < 0.4:
            web.kill_master_and_restart()
            return "gunicorn master"
        return "gunicorn worker" if web.kill_worker(rng) else "nothing (no web worker yet)"

    return strike


def strike_job_worker(workers: servers.JobWorkers) -> Strike:
    def strike(rng: Random) -> str:
        workers.kill_one_and_restart(rng)
        return "encore worker"

    return strike


# --- running ---------------------------------------------------------------------------------


def kills(chaos: list[Chaos]) -> Counter[str]:
    return sum((c.kills for c in chaos), Counter())


def send_all(client: WebhookClient, plan: Plan, concurrency: int, chaos: list[Chaos]) -> list[Sent]:
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="client") as pool:
        futures: list[Future[Sent]] = [pool.submit(client.send, d) for d in plan.deliveries]
        pending: Iterable[Future[Sent]] = futures
        while pending:
            _, pending = wait(pending, timeout=10)
            finished = len(futures) - len(pending)
            print(
                f"  sent {finished:,}/{len(futures):,}  kills so far: {kills(chaos).total()}",
                flush=True,
            )
        return [future.result() for future in futures]


def wait_for_drain(engine: Any, seconds: float) -> float:
    """Until no webhook is left to process, nothing due is waiting and no email is due."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        now = datetime.now(UTC).replace(tzinfo=None)
        with engine.connect() as connection:
            left = count_rows(
                connection,
                "SELECT count(*) FROM inbox WHERE status IN ('pending', 'running') AND "
                "(kind = 'shopify.webhook' OR status = 'running' OR run_after <= :now)",
                now=now,
            ) + count_rows(
                connection,
                "SELECT count(*) FROM notifications WHERE status = 'pending' "
                "AND claimed_at IS NULL AND send_after <= :now",
                now=now,
            )
        if left == 0:
            return time.monotonic() - started
        time.sleep(1.0)
    return time.monotonic() - started


# --- one run ---------------------------------------------------------------------------------


@dataclass
class Services:
    """Everything one run starts; `stop` ends all of it."""

    app: Any
    web: servers.WebServer
    workers: servers.JobWorkers
    sink: servers.MailSink

    @property
    def engine(self) -> Any:
        return self.app.extensions["encore_db"].engine

    def stop(self) -> None:
        self.web.stop()
        self.workers.stop()
        self.sink.stop()


def start_services(database: servers.Database, tmp: Path) -> Services:
    sink = servers.MailSink()
    sink.start()
    config = servers.encore_config(
        database,
        JOBS_LEASE_SECONDS=LEASE_SECONDS,
        JOBS_BACKOFF_BASE_SECONDS=2,
        TRACKING_TICK_SECONDS=5,  # sends messages a killed worker left unsent
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=sink.port,
        SMTP_STARTTLS="false",
        MAIL_FROM="shipping@bench-grocer.example",
    )
    servers.migrate(config, tmp / "migrate.log")
    app = servers.open_app(config)
    servers.install_shopify_store(app, settings={"quiet_hours": None})
    env = servers.environment(config)
    port = servers.free_port()
    command = servers.gunicorn_command(port, workers=WEB_WORKERS)
    services = Services(
        app=app,
        web=servers.WebServer(command, env, port, tmp / "web.log"),
        workers=servers.JobWorkers(env, JOB_WORKERS, tmp / "worker.log"),
        sink=sink,
    )
    services.web.start()
    services.workers.start()
    print(f"  gunicorn {' '.join(command[1:])}")
    print(f"  {JOB_WORKERS} x encore worker (JOBS_BACKEND=db, lease {LEASE_SECONDS}s)")
    return services


@dataclass
class Timings:
    sending: float = 0.0
    draining: float = 0.0
    in_time: bool = False

    @property
    def total(self) -> float:
        return self.sending + self.draining


def exercise(
    services: Services, plan: Plan, args: argparse.Namespace, chaos: list[Chaos]
) -> tuple[list[Sent], Timings]:
    """Send everything with chaos on, keep the chaos going for a while, then let it drain."""
    timings = Timings()
    started = time.monotonic()
    for thread in chaos:
        thread.start()
    sent = send_all(WebhookClient(services.web.url), plan, args.concurrency, chaos)
    timings.sending = time.monotonic() - started
    timings.draining = wait_for_drain(services.engine, args.chaos_after)
    for thread in chaos:
        thread.stop.set()
    for thread in chaos:
        thread.join(timeout=90)
    timings.draining += wait_for_drain(services.engine, args.drain_timeout)
    timings.in_time = timings.draining < args.chaos_after + args.drain_timeout
    return sent, timings


def verify(
    report: Report, services: Services, plan: Plan, sent: list[Sent], chaos: list[Chaos]
) -> None:
    accepted = check_sending(report, plan, sent)
    with services.engine.connect() as connection:
        check_inbox(report, connection, accepted)
        stored = check_orders(report, connection, plan, accepted)
        check_counters(report, connection, plan, stored)
        check_duplicates(report, connection)
        check_shipments(report, connection, plan, accepted, services.sink.messages())
    for what, count in sorted(kills(chaos).items()):
        report.figure(f"SIGKILL {what}", count)
    report.figure("orphaned web workers killed after their master", services.web.orphans_killed)
    report.figure("new masters that could not bind at once", services.web.failed_starts)
    errors = [error for thread in chaos for error in thread.errors]
    report.check("chaos errors", len(errors), not errors)
    for error in errors[:5]:
        print(f"  chaos error: {error}")


def run_on(database: servers.Database, args: argparse.Namespace, tmp: Path) -> bool:
    print(f"\n== {database.label}: {args.events:,} orders/create, seed {args.seed} ==")
    print(f"  start: {servers.machine_load()}")
    rng = Random(args.seed)
    plan = make_plan(args.events, args.fulfillments, args.duplicates, rng)
    services = start_services(database, tmp)
    chaos = [
        Chaos(strike_web(services.web), Random(rng.random()), args.kill_every, args.max_kills),
        Chaos(
            strike_job_worker(services.workers),
            Random(rng.random()),
            args.kill_every,
            args.max_kills,
        ),
    ]
    print(
        f"  {len(plan.deliveries):,} deliveries from {args.concurrency} client threads; "
        f"SIGKILL about every {args.kill_every:g}s (web and worker each, at most "
        f"{args.max_kills} each)"
    )
    try:
        sent, timings = exercise(services, plan, args, chaos)
    finally:
        for thread in chaos:
            thread.stop.set()
        services.stop()
    report = Report()
    verify(report, services, plan, sent, chaos)
    accepted = sum(s.accepted for s in sent)
    report.figure("sending time", f"{timings.sending:.1f} s")
    report.figure("deliveries accepted per second", f"{accepted / timings.sending:.0f}")
    report.check("drained after the last send", f"{timings.draining:.1f} s", timings.in_time)
    events = len({s.delivery.event_id for s in sent if s.accepted})
    report.figure("events processed per second, end to end", f"{events / timings.total:.0f}")
    services.app.extensions["encore_db"].dispose()
    report.print()
    print(f"  end: {servers.machine_load()}")
    print(f"  {'PASSED' if report.passed else 'FAILED'} on {database.label}")
    return report.passed


def database_for(kind: str, directory: Path) -> servers.Database | None:
    if kind == "sqlite":
        return servers.sqlite_database(directory)
    found = servers.postgres_database("encore_crash")
    if isinstance(found, str):
        print(f"\n== PostgreSQL: SKIPPED: {found} ==")
        return None
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=5000, help="distinct orders/create")
    parser.add_argument("--duplicates", type=float, default=0.1, help="share re-sent")
    parser.add_argument("--fulfillments", type=float, default=0.2, help="share of orders shipped")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--kill-every", type=float, default=4.0, help="mean seconds between kills")
    parser.add_argument("--max-kills", type=int, default=50, help="per kind (web, job worker)")
    parser.add_argument("--concurrency", type=int, default=12, help="client threads")
    parser.add_argument("--chaos-after", type=float, default=20.0, help="seconds of draining")
    parser.add_argument("--drain-timeout", type=float, default=600.0)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="encore-crash-"))
    passed = []
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    for kind in kinds:
        run_dir = tmp / kind
        run_dir.mkdir()
        database = database_for(kind, run_dir)
        if database is None:
            continue
        try:
            passed.append(run_on(database, args, run_dir))
        finally:
            if not args.keep:
                servers.drop_database(database)
    if args.keep:
        print(f"\nLogs and SQLite file kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    raise SystemExit(0 if passed and all(passed) else 1)


if __name__ == "__main__":
    main()
