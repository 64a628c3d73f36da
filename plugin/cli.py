"""The `encore` command: a Flask CLI group bound to create_app."""

from __future__ import annotations

import logging
import os

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, ScriptInfo, routes_command, shell_command, with_appcontext

from plugin import create_app
from plugin.admin.cli import admin_group
from plugin.tracking.cli import tracking_group


def _make_app(_info: ScriptInfo | None = None) -> Flask:
    return create_app()


def _log_to_console() -> None:
    """Long-running commands log what they do; secrets are never part of a log message."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


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
    click.echo(f"Worker {worker.worker_id} polling every {worker.poll_seconds}s (Ctrl+C stops it)")
    worker.run_forever()


@main.group("db")
def db_group() -> None:
    """Database schema commands."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Apply every migration (safe to run again)."""
    from plugin.db import get_db

    get_db().create_schema()
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
    from plugin.jobs.queue import replay_dead_letters

    count = replay_dead_letters(session(), list(event_ids) or None)
    click.echo(f"Re-queued {count} dead letter(s).")


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
