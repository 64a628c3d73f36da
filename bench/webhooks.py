"""Webhook ack latency through the WSGI app, next to a bare Flask route in the same run.

Sends signed `orders/create` deliveries (JOBS_BACKEND=db: verify, store, commit, answer),
then lets the job worker process them, and prints p50/p99 ack latency, deliveries per second
and the ratio to a bare Flask route that only parses JSON. Run: `make bench`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from flask import Flask, request
from flask.testing import FlaskClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from plugin import create_app
from plugin.jobs.worker import Worker
from plugin.models import Store, utcnow
from plugin.webhooks.signatures import sign_body

SECRET = "bench-secret"
SHOP = "bench-grocer.myshopify.com"
FIXTURE = Path(__file__).resolve().parent.parent / "tests/fixtures/shopify/orders_create.json"


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def deliveries(count: int) -> list[tuple[bytes, dict[str, str]]]:
    template = json.loads(FIXTURE.read_text())
    prepared = []
    for n in range(count):
        payload = dict(template, id=6_000_000_000_000 + n, name=f"#{2000 + n}")
        body = json.dumps(payload).encode()
        headers = {
            "X-Shopify-Topic": "orders/create",
            "X-Shopify-Shop-Domain": SHOP,
            "X-Shopify-Event-Id": f"bench-{n}",
            "X-Shopify-Hmac-Sha256": sign_body(body, SECRET),
            "Content-Type": "application/json",
        }
        prepared.append((body, headers))
    return prepared


def measure(send: Callable[[bytes, dict[str, str]], int], work: list[Any]) -> dict[str, float]:
    latencies = []
    started = time.perf_counter()
    for body, headers in work:
        t0 = time.perf_counter()
        status = send(body, headers)
        latencies.append((time.perf_counter() - t0) * 1000)
        if status != 200:
            raise SystemExit(f"unexpected status {status}")
    elapsed = time.perf_counter() - started
    return {
        "p50_ms": statistics.median(latencies),
        "p99_ms": percentile(latencies, 0.99),
        "per_second": len(work) / elapsed,
    }


def bare_flask_client() -> FlaskClient:
    bare = Flask("bare")

    @bare.post("/hook")
    def hook() -> tuple[str, int]:
        request.get_json()
        return "", 200

    return bare.test_client()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--deliveries", type=int, default=2000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
                "JOBS_BACKEND": "db",
                "SHOPIFY_API_KEY": "bench",
                "SHOPIFY_API_SECRET": SECRET,
                "ENCRYPTION_KEY": Fernet.generate_key().decode(),
                "SECRET_KEY": "bench",
            }
        )
        db = app.extensions["encore_db"]
        with db.new_session() as s:
            s.add(Store(platform="shopify", domain=SHOP, installed_at=utcnow()))
            s.commit()

        work = deliveries(args.deliveries)
        warmup = deliveries(50)
        client = app.test_client()

        def send_encore(body: bytes, headers: dict[str, str]) -> int:
            return client.post("/webhooks/shopify", data=body, headers=headers).status_code

        bare = bare_flask_client()

        def send_bare(body: bytes, headers: dict[str, str]) -> int:
            return bare.post("/hook", data=body, headers=headers).status_code

        measure(send_bare, warmup)
        bare_figures = measure(send_bare, work)
        # Warm up with distinct event ids so the measured run stores every delivery.
        for n, (body, headers) in enumerate(warmup):
            headers = dict(headers, **{"X-Shopify-Event-Id": f"warmup-{n}"})
            send_encore(body, headers)
        encore_figures = measure(send_encore, work)

        worker = Worker(app, worker_id="bench")
        t0 = time.perf_counter()
        processed = worker.drain()
        job_seconds = time.perf_counter() - t0

    print(f"Webhook ack through the WSGI app ({args.deliveries} signed orders/create, SQLite)")
    print(f"{'route':<28}{'p50 ms':>10}{'p99 ms':>10}{'per second':>14}")
    for name, figures in (
        ("bare Flask route", bare_figures),
        ("Encore /webhooks/shopify", encore_figures),
    ):
        print(
            f"{name:<28}{figures['p50_ms']:>10.2f}{figures['p99_ms']:>10.2f}"
            f"{figures['per_second']:>14.0f}"
        )
    print(
        f"ratio Encore/bare: p50 {encore_figures['p50_ms'] / bare_figures['p50_ms']:.1f}x, "
        f"p99 {encore_figures['p99_ms'] / bare_figures['p99_ms']:.1f}x, "
        f"throughput {bare_figures['per_second'] / encore_figures['per_second']:.1f}x lower"
    )
    print(
        f"job worker: {processed} orders processed in {job_seconds:.1f}s "
        f"({processed / job_seconds:.0f} jobs/second, one worker)"
    )


if __name__ == "__main__":
    main()
