"""The demo store's catalog: a believable grocery name, aisle, vendor and price per product id.

The bundled order data has product ids only. Every product that was ordered often enough gets
its details drawn from the vocabulary with a random generator seeded by its id, so the catalog
is the same on every machine and every run. The most frequent ids are named by hand as the
staples they are in the data (bananas, strawberries, spinach, ...).
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from plugin.demo.aisles_fresh import BAKERY, DAIRY, DELI, MEAT_SEAFOOD, PRODUCE
from plugin.demo.aisles_shelf import BEVERAGES, FROZEN, HOUSEHOLD, PANTRY, SNACKS
from plugin.demo.vocabulary import Aisle, ProductLine, Size

AISLES: tuple[Aisle, ...] = (
    PRODUCE,
    DAIRY,
    BAKERY,
    PANTRY,
    SNACKS,
    BEVERAGES,
    FROZEN,
    MEAT_SEAFOOD,
    DELI,
    HOUSEHOLD,
)
AISLE_BY_NAME: dict[str, Aisle] = {aisle.name: aisle for aisle in AISLES}

# Rarer products carry too little signal to recommend and would only make the catalog noisy.
MIN_ORDERS = 3
# Real catalogs mix branded titles ("Hillside Creamery Whole Milk") with plain ones.
BRANDED_SHARE = 0.3
OUT_OF_STOCK_SHARE = 0.03
ON_SALE_SHARE = 0.12
ORGANIC_MARKUP = 1.3
# Draws of a plain title before falling back to a branded one when the plain ones are taken.
PLAIN_DRAWS = 6
MAX_DRAWS = 200


@dataclass(frozen=True)
class CatalogItem:
    product_id: str
    title: str
    product_type: str
    vendor: str
    price: Decimal
    compare_at_price: Decimal | None
    available: bool
    times_ordered: int
    image_url: str
    tags: tuple[str, ...] = ()

    @property
    def handle(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")


@dataclass(frozen=True)
class Staple:
    title: str
    aisle: str
    vendor: str
    price: str
    compare_at_price: str | None = None


# The data's most frequent ids, named as the everyday staples a grocer sells most of.
STAPLES: dict[str, Staple] = {
    "24852": Staple("Bananas, per lb", "Produce", "Sunny Acres", "0.69"),
    "13176": Staple("Organic Banana Bunch", "Produce", "Sunny Acres", "1.99"),
    "21137": Staple("Organic Strawberries, 1 lb", "Produce", "Riverbend Growers", "4.99", "5.99"),
    "21903": Staple("Organic Baby Spinach, 5 oz", "Produce", "Green Hollow Farm", "3.99"),
    "47209": Staple("Organic Hass Avocado", "Produce", "Mesa Verde Orchards", "1.99"),
    "47626": Staple("Large Lemon", "Produce", "Mesa Verde Orchards", "0.79"),
    "27966": Staple("Organic Raspberries, 6 oz", "Produce", "Riverbend Growers", "4.49"),
    "26209": Staple("Lime", "Produce", "Two Rivers Produce", "0.39"),
    "47766": Staple("Organic Avocados, 4 ct bag", "Produce", "Mesa Verde Orchards", "5.99"),
    "27845": Staple("Organic Whole Milk, ½ gal", "Dairy & Eggs", "Hillside Creamery", "4.79"),
    "45007": Staple("Organic Zucchini, per lb", "Produce", "Cedar Creek Farms", "1.99"),
    "16797": Staple("Strawberries, 1 lb", "Produce", "Riverbend Growers", "3.49"),
    "49683": Staple("Kirby Cucumber", "Produce", "Cedar Creek Farms", "0.69"),
    "24964": Staple("Organic Garlic Bulb", "Produce", "Green Hollow Farm", "0.99"),
    "39275": Staple("Organic Blueberries, 1 pint", "Produce", "Riverbend Growers", "4.99", "5.49"),
    "30391": Staple("Organic English Cucumber", "Produce", "Cedar Creek Farms", "1.79"),
    "42265": Staple("Organic Baby Carrots, 1 lb", "Produce", "Green Hollow Farm", "1.79"),
    "22935": Staple("Organic Yellow Onions, per lb", "Produce", "Two Rivers Produce", "1.49"),
    "8277": Staple("Organic Honeycrisp Apple", "Produce", "Mesa Verde Orchards", "2.49"),
    "4920": Staple("Seedless Red Grapes, per lb", "Produce", "Sunny Acres", "2.99"),
    "5876": Staple("Organic Lemon", "Produce", "Mesa Verde Orchards", "0.99"),
    "44632": Staple(
        "Grapefruit Sparkling Water, 12-pack", "Beverages", "Clearwater Springs", "5.49"
    ),
    "49235": Staple("Organic Half & Half, 16 oz", "Dairy & Eggs", "Hillside Creamery", "3.29"),
    "28204": Staple("Organic Fuji Apple", "Produce", "Mesa Verde Orchards", "1.99"),
}


@dataclass(frozen=True)
class _Draft:
    """One drawn combination of the vocabulary, before it is checked for a free title."""

    name: str
    line: ProductLine
    size: Size
    organic: bool


def build_catalog(
    order_counts: Mapping[str, int], min_orders: int = MIN_ORDERS
) -> dict[str, CatalogItem]:
    """Name every product ordered at least `min_orders` times; titles are unique."""
    wanted = sorted((pid for pid, n in order_counts.items() if n >= min_orders), key=_id_order)
    taken: set[str] = set()
    catalog: dict[str, CatalogItem] = {}
    # Staples first, so a drawn title never takes a staple's name.
    for product_id in [pid for pid in wanted if pid in STAPLES]:
        item = _staple_item(product_id, STAPLES[product_id], order_counts[product_id])
        catalog[product_id] = item
        taken.add(item.title)
    for product_id in wanted:
        if product_id not in catalog:
            item = _drawn_item(product_id, order_counts[product_id], taken)
            catalog[product_id] = item
            taken.add(item.title)
    return {pid: catalog[pid] for pid in wanted}


def _id_order(product_id: str) -> tuple[int, str]:
    # Numeric ids in numeric order, so the order (and any title collision) never depends on
    # how the caller happened to count them.
    return (len(product_id), product_id)


def _staple_item(product_id: str, staple: Staple, times_ordered: int) -> CatalogItem:
    aisle = AISLE_BY_NAME[staple.aisle]
    return CatalogItem(
        product_id=product_id,
        title=staple.title,
        product_type=aisle.name,
        vendor=staple.vendor,
        price=Decimal(staple.price),
        compare_at_price=Decimal(staple.compare_at_price) if staple.compare_at_price else None,
        available=True,  # the staples are what a grocer never runs out of
        times_ordered=times_ordered,
        image_url=placeholder_image(staple.title, aisle.colour, random.Random(product_id)),
        tags=_tags(aisle, organic=staple.title.startswith("Organic")),
    )


def _drawn_item(product_id: str, times_ordered: int, taken: set[str]) -> CatalogItem:
    rng = random.Random(f"fresh-fields:{product_id}")
    aisle = rng.choices(AISLES, weights=[a.share for a in AISLES])[0]
    vendor = rng.choice(aisle.vendors)
    branded = rng.random() < BRANDED_SHARE
    available = rng.random() >= OUT_OF_STOCK_SHARE
    on_sale = rng.random() < ON_SALE_SHARE
    title, draft = _free_title(rng, aisle, vendor, branded, taken)
    base = rng.uniform(*draft.line.price) * draft.size.price_factor
    price = shelf_price(base * (ORGANIC_MARKUP if draft.organic else 1.0))
    compare_at = None
    if on_sale:
        compare_at = shelf_price(float(price) * rng.uniform(1.15, 1.4))
        if compare_at <= price:  # rounding can swallow a small markdown on a cheap item
            compare_at = price + Decimal("0.10")
    return CatalogItem(
        product_id=product_id,
        title=title,
        product_type=aisle.name,
        vendor=vendor,
        price=price,
        compare_at_price=compare_at,
        available=available,
        times_ordered=times_ordered,
        image_url=placeholder_image(draft.name, aisle.colour, rng),
        tags=_tags(aisle, organic=draft.organic),
    )


def _free_title(
    rng: random.Random, aisle: Aisle, vendor: str, branded: bool, taken: set[str]
) -> tuple[str, _Draft]:
    for attempt in range(MAX_DRAWS):
        draft = _draw(rng, aisle)
        title = _title(draft)
        if branded or attempt >= PLAIN_DRAWS:
            title = f"{vendor} {title}"
        if title not in taken:
            return title, draft
    raise RuntimeError(f"the {aisle.name} vocabulary has run out of titles; add words to it")


def _draw(rng: random.Random, aisle: Aisle) -> _Draft:
    line = rng.choices(aisle.lines, weights=[line.combinations for line in aisle.lines])[0]
    noun = rng.choice(line.nouns)
    variety = rng.choice(line.varieties)
    size = rng.choice(line.sizes)
    organic = rng.random() < line.organic_share
    name = noun.replace("{v}", variety) if "{v}" in noun else f"{variety} {noun}".strip()
    return _Draft(name=name, line=line, size=size, organic=organic)


def _title(draft: _Draft) -> str:
    title = f"Organic {draft.name}" if draft.organic else draft.name
    return f"{title}, {draft.size.label}" if draft.size.label else title


def shelf_price(amount: float) -> Decimal:
    """A price as a shelf shows it: ending in 9 cents (3.12 → 3.09, 3.16 → 3.19), at least 0.49."""
    dimes = max(5, math.floor(amount * 10 + 0.5))
    return (Decimal(dimes) / 10 - Decimal("0.01")).quantize(Decimal("0.01"))


def _tags(aisle: Aisle, organic: bool) -> tuple[str, ...]:
    return (aisle.name.lower(), "organic") if organic else (aisle.name.lower(),)


def placeholder_image(name: str, colour: str, rng: random.Random) -> str:
    """A small SVG tile (aisle colour, the product's initial) as a data URI: no external asset."""
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w != "Organic"]
    initial = words[0][0].upper() if words else "?"
    tint = rng.uniform(0.0, 0.35)
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' width='96' height='96' viewBox='0 0 96 96'>"
        f"<rect width='96' height='96' rx='14' fill='{colour}'/>"
        f"<rect width='96' height='96' rx='14' fill='#fff' fill-opacity='{tint:.2f}'/>"
        "<circle cx='70' cy='26' r='30' fill='#fff' fill-opacity='0.18'/>"
        "<text x='48' y='62' font-family='Georgia,serif' font-size='44' text-anchor='middle' "
        f"fill='#fff'>{initial}</text></svg>"
    )
    return "data:image/svg+xml," + quote(svg, safe=" =:/',.")
