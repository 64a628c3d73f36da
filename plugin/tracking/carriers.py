"""The carriers Encore knows: one code each, the names platforms use for them, a tracking URL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class Carrier:
    code: str
    name: str  # what a shopper reads
    tracking_url: str  # with {number}
    aliases: tuple[str, ...] = ()
    country: str | None = None  # home country, for S10 numbers ("…GB" is Royal Mail)


CARRIERS: tuple[Carrier, ...] = (
    Carrier(
        "ups",
        "UPS",
        "https://www.ups.com/track?tracknum={number}",
        ("united parcel service", "ups mail innovations", "ups surepost"),
    ),
    Carrier(
        "usps",
        "USPS",
        "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}",
        ("united states postal service", "us postal service", "u.s. postal service"),
        country="US",
    ),
    Carrier(
        "fedex",
        "FedEx",
        "https://www.fedex.com/fedextrack/?trknbr={number}",
        ("federal express", "fedex ground", "fedex express", "fedex smartpost"),
    ),
    Carrier(
        "dhl_express",
        "DHL Express",
        "https://www.dhl.com/global-en/home/tracking.html?tracking-id={number}",
        ("dhl", "dhl express usa", "dhl express (usa)"),
    ),
    Carrier(
        "dhl_ecommerce",
        "DHL eCommerce",
        "https://www.dhl.com/us-en/home/tracking/tracking-ecommerce.html?tracking-id={number}",
        ("dhl ecommerce", "dhl e-commerce", "dhl ecommerce solutions", "dhl global mail"),
    ),
    Carrier(
        "royal_mail",
        "Royal Mail",
        "https://www.royalmail.com/track-your-item#/tracking-results/{number}",
        ("royalmail", "parcelforce"),
        country="GB",
    ),
    Carrier(
        "canada_post",
        "Canada Post",
        "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={number}",
        ("canadapost", "postes canada", "canada post/postes canada"),
        country="CA",
    ),
    Carrier(
        "australia_post",
        "Australia Post",
        "https://auspost.com.au/mypost/track/details/{number}",
        ("auspost", "australia post mypost", "startrack"),
        country="AU",
    ),
    Carrier(
        "postnl",
        "PostNL",
        "https://jouw.postnl.nl/track-and-trace/{number}",
        ("post nl", "postnl international", "postnl domestic"),
        country="NL",
    ),
    Carrier(
        "dpd",
        "DPD",
        "https://tracking.dpd.de/status/en_US/parcel/{number}",
        ("dpd uk", "dpd local", "dpd de", "dpdgroup"),
    ),
    Carrier(
        "gls",
        "GLS",
        "https://gls-group.com/track/{number}",
        ("gls us", "general logistics systems", "gls germany"),
    ),
    Carrier(
        "amazon",
        "Amazon Logistics",
        "https://track.amazon.com/tracking/{number}",
        ("amazon", "amazon shipping", "amzl", "amazon logistics us"),
    ),
)

BY_CODE: dict[str, Carrier] = {carrier.code: carrier for carrier in CARRIERS}
BY_COUNTRY: dict[str, Carrier] = {c.country: c for c in CARRIERS if c.country}


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


_BY_NAME: dict[str, Carrier] = {}
for _carrier in CARRIERS:
    for _name in (_carrier.code, _carrier.name, *_carrier.aliases):
        _BY_NAME[_key(_name)] = _carrier


def carrier_named(name: str | None) -> Carrier | None:
    """The carrier a platform means by `name` ("United States Postal Service" → USPS)."""
    if not name:
        return None
    return _BY_NAME.get(_key(name))


def tracking_url(carrier: Carrier, number: str) -> str:
    return carrier.tracking_url.format(number=quote(number, safe=""))
