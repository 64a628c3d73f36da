"""Configuration: safe defaults < environment (ENCORE_* or the CONTRACT.md name) < mapping."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

DEFAULT_SHOPIFY_SCOPES = (
    "read_orders,read_products,read_customers,read_fulfillments,read_checkouts,write_discounts"
)
# A supported stable Admin API version (each is supported for at least 12 months).
DEFAULT_SHOPIFY_API_VERSION = "2026-10"

# Keys read from the environment, with their defaults. Values from the environment are strings;
# `_coerce` turns them into the default's type.
DEFAULTS: dict[str, Any] = {
    "APP_URL": "http://localhost:8000",
    "DATABASE_URL": None,  # SQLite file under instance/ when unset
    "SECRET_KEY": None,  # random per process in dev, required in production
    "ENCRYPTION_KEY": None,  # generated into instance/ in dev
    "SHOPIFY_API_KEY": None,
    "SHOPIFY_API_SECRET": None,
    "SHOPIFY_SCOPES": DEFAULT_SHOPIFY_SCOPES,
    "SHOPIFY_API_VERSION": DEFAULT_SHOPIFY_API_VERSION,
    "JOBS_BACKEND": "db",
    "CELERY_BROKER_URL": None,
    "HOLDOUT_SHARE": 0.1,
    "ENV": "development",
    # Jobs: how long a claim lasts, how often to try, how long to back off.
    "JOBS_LEASE_SECONDS": 60,
    "JOBS_MAX_ATTEMPTS": 8,
    "JOBS_BACKOFF_BASE_SECONDS": 5.0,
    "JOBS_BACKOFF_MAX_SECONDS": 3600.0,
    "JOBS_POLL_SECONDS": 1.0,
    # Periodic tasks (tracking tick, retention, sweep): a run holds its task's lease in the
    # periodic_runs table for its interval, and at least this long, so no other process starts
    # the task meanwhile; a crashed run's lease runs out after that.
    "PERIODIC_LEASE_SECONDS": 900.0,
    # Celery (JOBS_BACKEND=celery, docs/scale-out.md). CELERY_QUEUE names the queue and prefixes
    # every Redis key Encore's Celery uses, so deployments can share one Redis. A message a
    # worker took but never acknowledged (the worker vanished) goes back to the queue after the
    # visibility timeout; publish delays stay under half of it. Broker calls give up after the
    # timeout (a webhook is still accepted: the sweep publishes its row later). The sweep runs
    # every JOBS_SWEEP_SECONDS and publishes up to JOBS_SWEEP_LIMIT rows that have been due for
    # longer than the grace, or whose lease expired.
    "CELERY_QUEUE": "encore",
    "CELERY_VISIBILITY_TIMEOUT_SECONDS": 600.0,
    "CELERY_BROKER_TIMEOUT_SECONDS": 5.0,
    "JOBS_SWEEP_SECONDS": 60.0,
    "JOBS_SWEEP_GRACE_SECONDS": 60.0,
    "JOBS_SWEEP_LIMIT": 500,
    # Webhooks: how old a signed OAuth query may be, and the largest body accepted.
    "OAUTH_MAX_AGE_SECONDS": 300,
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "HTTP_TIMEOUT_SECONDS": 10.0,
    # Storefront: how long an order's offers and tracking are reused, how long the thank-you
    # page may wait for Shopify when the order webhook is late, and order lookups allowed per
    # shop and client address in a sliding window on the app-proxy tracking page.
    "STOREFRONT_CACHE_SECONDS": 30.0,
    "STOREFRONT_FETCH_TIMEOUT_SECONDS": 3.0,
    "PROXY_LOOKUP_LIMIT": 10,
    "PROXY_LOOKUP_WINDOW_SECONDS": 600.0,
    # X-Forwarded-For entries added by Shopify's app proxy and the load balancers in front of
    # Encore (1 when Shopify reaches Encore directly; one more per load balancer).
    "APP_PROXY_FORWARDED_HOPS": 1,
    # Offers: candidates must score above the relevance floor (0: no evidence, never shown);
    # an offer may cost at most this many times the order it follows; discount codes are
    # created valid for this many days (a new one is made three days before the end).
    "OFFERS_RELEVANCE_FLOOR": 0.0,
    "OFFERS_MAX_PRICE_RATIO": 2.0,
    "OFFERS_DISCOUNT_CODE_DAYS": 30,
    # WooCommerce self-healing: how often each store's webhooks are checked and repaired and a
    # reconciliation runs; how far reconciliation windows overlap (clock skew); how many days
    # of orders the initial import reads.
    "WOOCOMMERCE_HEALTH_INTERVAL_SECONDS": 900.0,
    "WOOCOMMERCE_RECONCILE_OVERLAP_SECONDS": 600.0,
    "WOOCOMMERCE_IMPORT_DAYS": 365,
    # Shipping emails (SMTP). No SMTP_HOST: email notifications are skipped as not_configured.
    # SMTP_STARTTLS upgrades a plain connection (port 587); SMTP_SSL connects with TLS from the
    # start (port 465). SMTP_CA_FILE trusts a private CA in addition to the system's.
    # MAIL_FROM is the sender address; the store's name (or sender_name) is its display name.
    "SMTP_HOST": None,
    "SMTP_PORT": 587,
    "SMTP_USERNAME": None,
    "SMTP_PASSWORD": None,  # secret: never logged
    "SMTP_STARTTLS": True,
    "SMTP_SSL": False,
    "SMTP_CA_FILE": None,
    "SMTP_TIMEOUT_SECONDS": 20.0,
    "MAIL_FROM": None,
    # Shipping texts (Twilio's REST API). Without all three, SMS notifications are skipped.
    "TWILIO_ACCOUNT_SID": None,
    "TWILIO_AUTH_TOKEN": None,  # secret: never logged
    "TWILIO_FROM": None,  # a Twilio number (+15551234567) or messaging service sid (MG...)
    # Notifications: tries for a transient SMTP/SMS failure before the message is marked
    # failed, and how long a claimed message may go unconfirmed before it counts as lost.
    "NOTIFY_MAX_ATTEMPTS": 5,
    "NOTIFY_RETRY_SECONDS": 60.0,
    "NOTIFY_CLAIM_SECONDS": 600.0,
    # Tracking schedule: the embedded worker polls carriers, checks for late parcels and sends
    # held messages this often (0 turns the tick off; `encore tracking tick` does it by hand).
    "TRACKING_TICK_SECONDS": 300.0,
    # Admin (password logins): failed logins allowed per email in the window (four times as
    # many per client address), and how long a login lasts. The session cookie is Lax and,
    # when SESSION_COOKIE_SECURE is on (set it behind HTTPS), sent over HTTPS only.
    "ADMIN_LOGIN_LIMIT": 5,
    "ADMIN_LOGIN_WINDOW_SECONDS": 900.0,
    "ADMIN_SESSION_HOURS": 12.0,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    # Security (docs/security.md). Rate limits are flask-limiter strings ("N per minute"),
    # counted in Redis when RATELIMIT_STORAGE_URI (else REDIS_URL) is set, else per process.
    # They stop abuse; a flash sale's webhook burst stays far below them.
    "REDIS_URL": None,  # shared Redis for rate limits and circuit breakers
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": None,
    "RATELIMIT_KEY_PREFIX": "encore",
    "RATELIMIT_WEBHOOKS": "10000 per minute",  # signed deliveries per shop / store
    "RATELIMIT_WEBHOOK_REJECTS": "120 per minute",  # refused deliveries per client address
    "RATELIMIT_AUTH": "60 per minute",  # install and connect per client address
    "RATELIMIT_STOREFRONT": "600 per minute",  # per shop and client address (NAT: generous)
    "RATELIMIT_APP_PROXY": "600 per minute",  # per shop and shopper address
    "RATELIMIT_TRACKING_PAGE": "300 per minute",  # /t/ pages per client address
    "RATELIMIT_ADMIN": "1200 per minute",  # admin pages and API per client address
    "RATELIMIT_ADMIN_LOGIN": "30 per minute",  # login form posts per client address
    # Proxies in front of Encore that append to X-Forwarded-For (0: trust no forwarded header).
    "TRUSTED_PROXY_HOPS": 0,
    # Bodies: webhooks may be up to MAX_CONTENT_LENGTH; every other route up to this.
    "MAX_BODY_BYTES": 256 * 1024,
    # Strict-Transport-Security max-age, sent when APP_URL is https (0 turns it off).
    "HSTS_SECONDS": 31536000,
    # Circuit breaker per store: after this many failed calls in a row (each already retried;
    # connection errors, timeouts, 5xx) calls to that store fail fast for the cool-down, then
    # one trial call goes through.
    "CIRCUIT_FAILURE_THRESHOLD": 5,
    "CIRCUIT_COOLDOWN_SECONDS": 60.0,
    "CIRCUIT_STORAGE_URI": None,  # redis://...; else REDIS_URL; else per process
    # Operations. Logs: LOG_FORMAT json|text (unset: json when ENV=production, else text) and
    # LOG_LEVEL. Retention (0 keeps forever): shoppers' personal data on orders placed more than
    # RETENTION_PERSONAL_DATA_DAYS ago is erased; finished inbox rows (webhook bodies) are
    # deleted after RETENTION_INBOX_DAYS, dead letters after RETENTION_DEAD_LETTER_DAYS, admin
    # login attempts after RETENTION_LOGIN_ATTEMPTS_DAYS (never inside the login limit's
    # window); the job runs every RETENTION_INTERVAL_SECONDS and commits every
    # RETENTION_BATCH_SIZE rows.
    "LOG_FORMAT": None,
    "LOG_LEVEL": "INFO",
    "RETENTION_PERSONAL_DATA_DAYS": 730,
    "RETENTION_INBOX_DAYS": 30,
    "RETENTION_DEAD_LETTER_DAYS": 90,
    "RETENTION_LOGIN_ATTEMPTS_DAYS": 30,
    "RETENTION_INTERVAL_SECONDS": 86400.0,
    "RETENTION_BATCH_SIZE": 500,
}

ENV_PREFIX = "ENCORE_"


class ConfigError(RuntimeError):
    """The configuration cannot run safely; the message says which key to set."""


def _coerce(value: str, default: Any) -> Any:
    if isinstance(default, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return value


def _from_environment(key: str, default: Any, environ: Mapping[str, str]) -> Any:
    for name in (ENV_PREFIX + key, key):
        if name in environ and environ[name] != "":
            return _coerce(environ[name], default)
    return default


def load_config(
    instance_path: Path,
    mapping: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Build the configuration dictionary for one app."""
    environ = os.environ if environ is None else environ
    mapping = dict(mapping or {})
    config = {key: _from_environment(key, default, environ) for key, default in DEFAULTS.items()}
    config.update(mapping)

    production = str(config["ENV"]).lower() == "production"
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance_path / 'encore.db'}"
    if not config["SECRET_KEY"]:
        if production:
            raise ConfigError("SECRET_KEY must be set in production (any long random string).")
        config["SECRET_KEY"] = secrets.token_urlsafe(32)
    if not config["ENCRYPTION_KEY"]:
        if production:
            raise ConfigError(
                "ENCRYPTION_KEY must be set in production: generate one with "
                "`encore keys generate` and keep it with your other secrets."
            )
        config["ENCRYPTION_KEY"] = _dev_encryption_key(instance_path)
    if config["JOBS_BACKEND"] not in {"inline", "db", "celery"}:
        raise ConfigError(
            f"JOBS_BACKEND is {config['JOBS_BACKEND']!r}; use one of inline, db, celery."
        )
    if config["JOBS_BACKEND"] == "celery" and not config["CELERY_BROKER_URL"]:
        raise ConfigError(
            "JOBS_BACKEND=celery needs CELERY_BROKER_URL (e.g. redis://localhost:6379/0), "
            "or use JOBS_BACKEND=db for the embedded worker."
        )
    config["APP_URL"] = str(config["APP_URL"]).rstrip("/")
    config["HOLDOUT_SHARE"] = float(config["HOLDOUT_SHARE"])
    return config


def _dev_encryption_key(instance_path: Path) -> str:
    """Keep one Fernet key per instance folder so tokens stay readable across restarts."""
    key_file = instance_path / "encryption.key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key().decode()
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key
