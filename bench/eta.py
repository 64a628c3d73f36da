"""How close Encore's delivery estimate lands, against the naive "carrier default" estimate.

Run: `make bench` (or `.venv/bin/python bench/eta.py`). Prints mean absolute error in days.

The parcels are a fixture built from the bundled grocery history (plugin/demo/data): every
order of the 306 shoppers, placed on the shopper's own schedule (`days_since_prior_order`),
shipped from the demo warehouse in Columbus, OH to the shopper's home town (plugin/demo
shoppers). Transit times are simulated, since the data set has none: each carrier and
service has a base time that grows with the distance zone, plus a long tail of late parcels
(a day late 20% of the time, two days 8%, three to five days 3%), counted in business days,
so weekends matter as they do for real parcels. The first 80% of parcels (by ship date) are
the store's history; the estimate is scored on the last 20%.
"""

from __future__ import annotations

import csv
import gzip
import random
import statistics
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from plugin.demo.shoppers import home_town
from plugin.tracking.eta import (
    TransitModel,
    add_business_days,
    business_days_between,
    default_transit,
)

DATA = Path(__file__).resolve().parent.parent / "plugin" / "demo" / "data"
START = date(2025, 11, 3)
HELD_OUT = 0.2

# Distance zone from Columbus, OH by state.
ZONES = {
    **dict.fromkeys(["OH", "MI", "KY", "PA"], 1),
    **dict.fromkeys(["WI", "MN", "VA", "NC", "GA", "NY", "VT", "RI", "MO", "NE"], 2),
    **dict.fromkeys(["TX", "CO", "NM", "UT", "AZ", "ID"], 3),
    **dict.fromkeys(["OR", "WA", "CA"], 4),
}
# (carrier, service, share, business days for zone 1..4)
SERVICES = [
    ("UPS", "Ground", 0.35, (1, 2, 3, 5)),
    ("UPS", "2nd Day Air", 0.05, (2, 2, 2, 2)),
    ("USPS", "Priority Mail", 0.30, (2, 2, 3, 3)),
    ("FedEx", "Ground", 0.20, (1, 2, 4, 5)),
    ("DHL eCommerce", "Parcel Expedited", 0.10, (3, 4, 5, 7)),
]


def orders() -> list[tuple[str, str, int, int]]:
    """(order id, user id, order number, days since prior order) of every order."""
    seen: dict[str, tuple[str, str, int, int]] = {}
    with gzip.open(DATA / "grocery_orders_dev.csv.gz", "rt", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["order_id"] not in seen:
                prior = row["days_since_prior_order"]
                seen[row["order_id"]] = (
                    row["order_id"],
                    row["user_id"],
                    int(row["order_number"]),
                    int(float(prior)) if prior else 0,
                )
    return list(seen.values())


def late_days(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.03:
        return rng.randint(3, 5)
    if roll < 0.11:
        return 2
    if roll < 0.31:
        return 1
    return 0


def parcels(seed: int = 6) -> list[tuple[str, str, str, date, date]]:
    """(carrier, service, region, shipped, delivered) per order, oldest first."""
    rng = random.Random(seed)
    by_user: dict[str, list[tuple[str, str, int, int]]] = defaultdict(list)
    for order in orders():
        by_user[order[1]].append(order)
    made = []
    for user_id, history in by_user.items():
        state = home_town(user_id).rsplit(", ", 1)[-1]
        zone = ZONES.get(state, 3)
        day = START + timedelta(days=rng.randrange(0, 60))
        for _order_id, _user, _number, prior in sorted(history, key=lambda o: o[2]):
            day += timedelta(days=prior)
            carrier, service, _share, days = rng.choices(
                SERVICES, weights=[s[2] for s in SERVICES]
            )[0]
            shipped = add_business_days(day, rng.choice((0, 0, 1)))
            delivered = add_business_days(shipped, days[zone - 1] + late_days(rng))
            made.append((carrier, service, f"US-{state}", shipped, delivered))
    return sorted(made, key=lambda p: p[3])


def main() -> None:
    everything = parcels()
    cut = int(len(everything) * (1 - HELD_OUT))
    history, held_out = everything[:cut], everything[cut:]
    model = TransitModel.learn(
        (carrier, service, region, business_days_between(shipped, delivered))
        for carrier, service, region, shipped, delivered in history
    )
    learned_errors, naive_errors, inside, learned_used = [], [], 0, 0
    for carrier, service, region, shipped, delivered in held_out:
        window = model.transit(carrier, service, region)
        naive = add_business_days(shipped, default_transit(carrier)[1])
        naive_errors.append(abs((naive - delivered).days))
        if window is None:
            window = default_transit(carrier)
        else:
            learned_used += 1
        earliest, likely, latest = (add_business_days(shipped, d) for d in window)
        learned_errors.append(abs((likely - delivered).days))
        inside += earliest <= delivered <= latest
    print(f"parcels: {len(everything):,} ({len(history):,} history, {len(held_out):,} held out)")
    print(f"learned from store history for {learned_used / len(held_out):.0%} of held-out parcels")
    print(f"MAE, store-history estimate (median):  {statistics.mean(learned_errors):.2f} days")
    print(f"MAE, carrier default estimate (naive): {statistics.mean(naive_errors):.2f} days")
    print(f"held-out deliveries inside the shown window (p20-p80): {inside / len(held_out):.0%}")


if __name__ == "__main__":
    main()
