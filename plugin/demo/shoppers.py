"""The demo's shoppers: a made-up name, email and home town per shopper id, always the same."""

from __future__ import annotations

import random

from plugin.demo.vocabulary import listing
from plugin.platforms.base import CustomerRecord

FIRST_NAMES = listing(
    "Ava; Liam; Maya; Noah; Zoe; Ethan; Priya; Lucas; Hannah; Mateo; Grace; Owen; Aisha; Leo; "
    "Chloe; Samuel; Nora; Diego; Ruby; Isaac; Lena; Marcus; Sofia; Caleb; Imani; Jonah; Elena; "
    "Felix; Tara; Julian; Mei; Andre; Clara; Tomas; Hazel; Omar; Ivy; Daniel; Rosa; Kenji; "
    "Leah; Victor; Naomi; Elijah; Freya; Rafael; Amara; Simon; Jade; Theo"
)
LAST_NAMES = listing(
    "Chen; Patel; Garcia; Nguyen; Okafor; Murphy; Rossi; Kim; Johansson; Alvarez; Brooks; Singh; "
    "Novak; Haddad; Fischer; Tanaka; Walsh; Mendes; Cohen; Rivera; Larsen; Osei; Bennett; Park; "
    "Duarte; Silva; Kowalski; Reyes; Hughes; Moreau; Ibrahim; Schmidt; Ortiz; Sato; Lindqvist; "
    "Adeyemi; Romero; Foster; Costa; Yamamoto"
)
HOME_TOWNS = listing(
    "Portland, OR; Austin, TX; Denver, CO; Madison, WI; Raleigh, NC; Boise, ID; Pittsburgh, PA; "
    "Tucson, AZ; Burlington, VT; Minneapolis, MN; Richmond, VA; Sacramento, CA; Columbus, OH; "
    "Ann Arbor, MI; Savannah, GA; Providence, RI; Albuquerque, NM; Spokane, WA; Omaha, NE; "
    "Asheville, NC; Louisville, KY; Kansas City, MO; Salt Lake City, UT; Buffalo, NY"
)
MARKETING_SHARE = 0.45


def _rng(user_id: str) -> random.Random:
    return random.Random(f"shopper:{user_id}")


def shopper(user_id: str) -> CustomerRecord:
    rng = _rng(user_id)
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    email = f"{first}.{last}{rng.randint(1, 99)}@example.com".lower()
    return CustomerRecord(
        platform_customer_id=user_id,
        email=email,
        first_name=first,
        last_name=last,
        accepts_marketing=rng.random() < MARKETING_SHARE,
    )


def home_town(user_id: str) -> str:
    """Where this shopper's parcels go."""
    rng = _rng(f"{user_id}:town")
    return rng.choice(HOME_TOWNS)
