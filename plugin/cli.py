"""The `encore` command: a Flask CLI group bound to create_app."""

from __future__ import annotations

import os
import signal

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, ScriptInfo, routes_command, shell_command, with_appcontext
from sqlalchemy import text

from plugin import create_app
from plugin.admin.cli import admin_group
from plugin.db import Database
from plugin.tracking.cli import tracking_group


def _make_app(_info: ScriptInfo | None = None) -> Flask:
    return create_app()


def _log_to_console() -> None:
    """Long-running commands log what they do: JSON or text, redacted (plugin.observability)."""
    from plugin.observability import configure_logging

    configure_logging(current_app.config)


# Any fixed number, the same in every process: PostgreSQL's advisory lock for migrations.
MIGRATION_LOCK = 0x656E636F


def upgrade_schema(database: Database) -> None:
    """Bring the schema to the newest migration, one process at a time on PostgreSQL.

    Web replicas, the compose migrate step and gunicorn masters may start together: an
    advisory lock makes the others wait, then find nothing left to do.
    """
    if database.is_sqlite:
        database.create_schema()
        return
    with database.engine.connect() as lock:
        lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        try:
            database.create_schema()
        finally:
            lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
            lock.commit()


def upgrade_from_environment() -> None:
    """Migrate the database the environment names, without building an app (gunicorn master)."""
    from pathlib import Path

    from plugin.config import load_config

    instance = Path(Flask("plugin", instance_relative_config=True).instance_path)
    database = Database(load_config(instance)["DATABASE_URL"])
    try:
        upgrade_schema(database)
    finally:
        database.dispose()


@click.group(cls=FlaskGroup, create_app=_make_app, add_default_commands=False)
def main() -> None:
    """Encore: post-purchase offers and order tracking for Shopify and WooCommerce."""


main.add_command(shell_command)
main.add_command(routes_command)
main.add_command(admin_group)
main.add_command(tracking_group)


@main.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-worker", is_flag=True, help="Do not start the embedded job worker thread.")
@with_appcontext
def run_command(host: str, port: int, no_worker: bool) -> None:
    """Serve Encore, with the embedded job worker in a background thread."""
    from werkzeug.serving import run_simple

    from plugin.jobs.worker import Worker

    _log_to_console()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not no_worker and app.config["JOBS_BACKEND"] == "db":
        Worker(app).start_in_thread()
        click.echo("Embedded job worker started.")
    click.echo(f"Encore is serving on http://{host}:{port}  (Ctrl+C stops it)")
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)


@main.command("worker")
@click.option("--once", is_flag=True, help="Run what is due now, then exit.")
@with_appcontext
def worker_command(once: bool) -> None:
    """Run the job worker: claims inbox rows, retries with backoff, dead-letters poison."""
    from plugin.jobs.worker import Worker

    _log_to_console()
    worker = Worker(current_app._get_current_object())  # type: ignore[attr-defined]
    if once:
        count = worker.drain()
        click.echo(f"Processed {count} job(s).")
        return
    # SIGTERM (docker stop, systemd) finishes the job in hand and exits, like Ctrl+C: a job cut
    # short would hold its row until the lease runs out.
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop_signal, lambda _number, _frame: worker.stop())
    click.echo(f"Worker {worker.worker_id} polling every {worker.poll_seconds}s (Ctrl+C stops it)")
    worker.run_forever()
    click.echo(f"Worker {worker.worker_id} stopped.")


@main.group("db")
def db_group() -> None:
    """Database schema commands."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Apply every migration (safe to run again, and from several processes at once)."""
    from plugin.db import get_db

    upgrade_schema(get_db())
    click.echo("Database is at the newest migration.")


@main.group("jobs")
def jobs_group() -> None:
    """Inspect and re-run jobs."""


@jobs_group.command("replay")
@click.option("--id", "event_ids", multiple=True, type=int, help="Only these inbox ids.")
@with_appcontext
def jobs_replay(event_ids: tuple[int, ...]) -> None:
    """Re-queue dead letters so the worker tries them again."""
    from plugin.db import session
    from plugin.jobs.dispatch import hand_to_broker
    from plugin.jobs.queue import replay_dead_letters

    replayed = replay_dead_letters(session(), list(event_ids) or None)
    hand_to_broker(replayed)
    click.echo(f"Re-queued {len(replayed)} dead letter(s).")


@jobs_group.command("status")
@with_appcontext
def jobs_status() -> None:
    """Count inbox rows by status."""
    from plugin.db import session
    from plugin.jobs.queue import count_by_status

    for status, count in count_by_status(session()).items():
        click.echo(f"{status:>8}: {count}")


@main.group("shopify")
def shopify_group() -> None:
    """Shopify commands."""


@shopify_group.command("sync-webhooks")
@with_appcontext
def shopify_sync_webhooks() -> None:
    """Re-check every installed shop's webhook subscriptions; create what is missing."""
    from plugin.platforms.shopify_webhooks import sync_all_shops

    for line in sync_all_shops():
        click.echo(line)


@main.group("keys")
def keys_group() -> None:
    """Encryption keys for tokens at rest."""


@keys_group.command("generate")
def keys_generate() -> None:
    """Print a new Fernet key for ENCRYPTION_KEY."""
    from cryptography.fernet import Fernet

    click.echo(Fernet.generate_key().decode())


@keys_group.command("rotate")
@click.option("--batch-size", default=200, show_default=True, type=click.IntRange(min=1))
@with_appcontext
def keys_rotate(batch_size: int) -> None:
    """Re-encrypt every stored secret with the first key of ENCRYPTION_KEY.

    Put the new key first (ENCRYPTION_KEY="NEW,OLD"), restart, run this, then drop OLD.
    """
    from plugin.crypto import fernet_keys
    from plugin.db import session
    from plugin.keys import KeyRotationError, rotate_keys

    keys = len(fernet_keys(current_app.config["ENCRYPTION_KEY"]))
    if keys == 1:
        click.echo("ENCRYPTION_KEY holds one key: values sealed with it stay as they are.")
    click.echo(f"Re-sealing stored secrets with the first of {keys} key(s)...")
    try:
        counts = rotate_keys(session(), batch_size=batch_size, progress=click.echo)
    except KeyRotationError as exc:
        raise click.ClickException(str(exc)) from exc
    for count in counts:
        click.echo(f"{count.kind:>30}: {count.rotated} rotated, {count.current} already current")
    rotated = sum(count.rotated for count in counts)
    click.echo(
        f"Done: {rotated} value(s) re-sealed. Every secret is readable with the first key "
        "alone; you may now remove the old key(s) from ENCRYPTION_KEY."
    )


@main.group("privacy")
def privacy_group() -> None:
    """Personal data: retention."""


@privacy_group.command("retention")
@click.option("--dry-run", is_flag=True, help="Count what would be erased; change nothing.")
@with_appcontext
def privacy_retention(dry_run: bool) -> None:
    """Erase personal data and webhook bodies past their retention (RETENTION_* settings)."""
    from plugin.db import session
    from plugin.models import utcnow
    from plugin.retention import plan_retention, run_retention

    config = current_app.config
    click.echo(
        f"Personal data kept {config['RETENTION_PERSONAL_DATA_DAYS']} days, finished webhook "
        f"bodies {config['RETENTION_INBOX_DAYS']} days, dead letters "
        f"{config['RETENTION_DEAD_LETTER_DAYS']} days, admin login attempts "
        f"{config['RETENTION_LOGIN_ATTEMPTS_DAYS']} days (0: forever)."
    )
    if dry_run:
        results = plan_retention(session(), config, utcnow())
        verb = "would be handled"
    else:
        results = run_retention(session(), config, utcnow(), progress=click.echo)
        verb = "handled"
    if not results:
        click.echo("Retention is off (every RETENTION_*_DAYS is 0).")
    for result in results:
        click.echo(f"{result.name:>32}: {result.rows} row(s) {verb}")


@main.command("demo")
@click.option("--reset", is_flag=True, help="Remove the demo store first and load it again.")
@with_appcontext
def demo_command(reset: bool) -> None:
    """Load the demo store (products and order history from the bundled grocery data)."""
    from plugin.demo.loader import load_demo_store

    load_demo_store(reset=reset, progress=click.echo)


from plugin.woocommerce_cli import woocommerce_group  # noqa: E402

main.add_command(woocommerce_group)


from plugin.offers.recommender.commands import eval_command  # noqa: E402

main.add_command(eval_command)


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("FLASK_APP", "plugin")
    main()
