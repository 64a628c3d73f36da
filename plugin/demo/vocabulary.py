"""The shapes of the demo catalog's vocabulary: aisles, product lines, sizes.

The words themselves live in `aisles_fresh.py` and `aisles_shelf.py`. All names there are
made up for the demo (vendors included), so nothing suggests a real brand. A `ProductLine`
groups nouns that every one of its varieties and sizes fits, so any drawn combination reads
like something a grocer would actually stock.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    label: str  # "" when the product is sold as is ("Baguette")
    price_factor: float  # how much more than the line's base price this size costs


@dataclass(frozen=True)
class ProductLine:
    # A noun with "{v}" places the variety itself ("Sliced {v} Cheese"); otherwise the
    # variety comes first ("Honeycrisp" + "Apple").
    nouns: tuple[str, ...]
    sizes: tuple[Size, ...]
    price: tuple[float, float]  # base price range for the first size, in dollars
    varieties: tuple[str, ...] = ("",)
    organic_share: float = 0.0

    @property
    def combinations(self) -> int:
        organic = 2 if self.organic_share > 0 else 1
        return len(self.nouns) * len(self.varieties) * len(self.sizes) * organic


@dataclass(frozen=True)
class Aisle:
    name: str  # the product type the storefront shows
    share: float  # weight when an unnamed product is given an aisle
    colour: str  # placeholder image colour
    vendors: tuple[str, ...]
    lines: tuple[ProductLine, ...]

    @property
    def combinations(self) -> int:
        return sum(line.combinations for line in self.lines)


def listing(text: str) -> tuple[str, ...]:
    """Words written as one "a; b; c" string: long lists stay readable in a few lines."""
    return tuple(word.strip() for word in text.split(";") if word.strip())


def size_list(text: str) -> tuple[Size, ...]:
    """Sizes written as "5 oz=1; 10 oz=1.6" (label = price factor); "=1" alone is "as is"."""
    found = []
    for part in text.split(";"):
        label, _, factor = part.rpartition("=")
        found.append(Size(label.strip(), float(factor)))
    return tuple(found)
