"""How long `encore demo` takes to load the bundled grocery history into a fresh SQLite file.

Run: `make bench` (or `.venv/bin/python bench/demo_load.py`). Prints seconds and counts.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from cryptography.fernet import Fernet

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from plugin import create_app
from plugin.demo.loader import load_demo_store


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{tmp}/demo.db",
                "ENCRYPTION_KEY": Fernet.generate_key().decode(),
                "SECRET_KEY": "bench",
            }
        )
        with app.app_context():
            started = time.perf_counter()
            summary = load_demo_store(progress=lambda _line: None)
            elapsed = time.perf_counter() - started
            again_started = time.perf_counter()
            load_demo_store(progress=lambda _line: None)
            again = time.perf_counter() - again_started
    print("Demo store load (bundled grocery history, fresh SQLite file)")
    print(
        f"  full load: {elapsed:.1f} s for {summary.products:,} products, "
        f"{summary.orders:,} orders, {summary.shoppers} shoppers, {summary.shipments} parcels "
        f"({summary.through_pipeline} orders through the job pipeline)"
    )
    print(f"  second run (already loaded): {again:.2f} s")


if __name__ == "__main__":
    main()
