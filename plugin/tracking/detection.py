"""Which carrier a tracking number belongs to, from its format and check digit.

The formats are data, not code: the `tracking-numbers` package (generated from the
tracking_number_data set: UPS, USPS, FedEx, DHL Express, Amazon Logistics, OnTrac, S10
international post) plus `data/carrier_formats.json`, written in the same schema and read by
the same engine, for the carriers that set does not have yet (DHL eCommerce, Canada Post's
16-digit pins, PostNL 3S, DPD, GLS). The platform's carrier name wins when it names a carrier
we know; detection only fills the gap.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from tracking_numbers import DEFINITIONS as PACKAGE_DEFINITIONS
from tracking_numbers.definition import TrackingNumberDefinition
from tracking_numbers.types import Courier, SerialNumber, ValidationError

from plugin.tracking.carriers import BY_CODE, BY_COUNTRY, Carrier, carrier_named, tracking_url

FORMATS_FILE = Path(__file__).with_name("data") / "carrier_formats.json"

# The package's courier codes → ours. S10 is decided by the number's country suffix.
PACKAGE_COURIERS = {"ups": "ups", "usps": "usps", "fedex": "fedex", "amazon": "amazon"}
PACKAGE_PRODUCTS = {"DHL Express": "dhl_express", "DHL Express Air": "dhl_express"}
ISO7064_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class Detection:
    carrier: Carrier
    product: str
    has_check_digit: bool


def iso7064_mod37_36(payload: str) -> str:
    """The ISO/IEC 7064 MOD 37,36 check character (DPD parcel labels)."""
    modulus = 36
    product = modulus
    for char in payload:
        product = (product + ISO7064_ALPHABET.index(char)) % modulus or modulus
        product = (product * 2) % (modulus + 1)
    return ISO7064_ALPHABET[(modulus + 1 - product) % modulus]


class _Iso7064Definition(TrackingNumberDefinition):
    """A format whose check character may be a letter, which the package's validators don't read."""

    def _get_serial_number(self, match_data: dict[str, str]) -> SerialNumber | None:
        return []  # the check reads the raw digits below

    def _get_checksum_errors(
        self, serial_number: SerialNumber | None, match_data: dict[str, str]
    ) -> ValidationError | None:
        serial = re.sub(r"\s", "", match_data.get("SerialNumber") or "")
        check = re.sub(r"\s", "", match_data.get("CheckDigit") or "")
        if not serial or iso7064_mod37_36(serial) != check:
            return "checksum", "Checksum validation failed"
        return None


@dataclass(frozen=True)
class _Format:
    definition: TrackingNumberDefinition
    carrier_code: str | None  # None: S10, decided by country
    has_check_digit: bool


def _own_formats() -> list[_Format]:
    data = json.loads(FORMATS_FILE.read_text())
    formats: list[_Format] = []
    for courier_spec in data["couriers"]:
        courier = Courier(code=courier_spec["courier_code"], name=courier_spec["name"])
        for spec in courier_spec["tracking_numbers"]:
            checksum: dict[str, Any] = spec["validation"].get("checksum") or {}
            if checksum.get("name") == "iso7064_mod37_36":
                plain = {**spec, "validation": {}}
                base = TrackingNumberDefinition.from_spec(courier, plain)
                definition: TrackingNumberDefinition = _Iso7064Definition(
                    courier=courier,
                    product=base.product,
                    number_regex=base.number_regex,
                    tracking_url_template=None,
                    serial_number_parser=base.serial_number_parser,
                    checksum_validator=None,
                    additional_validations=[],
                )
            else:
                definition = TrackingNumberDefinition.from_spec(courier, spec)
            formats.append(_Format(definition, courier.code, bool(checksum)))
    return formats


def _package_formats() -> list[_Format]:
    formats = []
    for definition in PACKAGE_DEFINITIONS:
        if definition.courier.code == "s10":
            code = None
        else:
            found = PACKAGE_PRODUCTS.get(definition.product.name) or PACKAGE_COURIERS.get(
                definition.courier.code
            )
            if found is None:
                continue  # a carrier Encore does not name (CDL, OnTrac, ...)
            code = found
        formats.append(_Format(definition, code, definition.checksum_validator is not None))
    return formats


@cache
def _formats() -> tuple[_Format, ...]:
    # A format with a check digit is better evidence than one without; the sort is stable,
    # so within each group the package's own order stands.
    everything = _package_formats() + _own_formats()
    return tuple(sorted(everything, key=lambda f: not f.has_check_digit))


def normalize_number(number: str) -> str:
    return re.sub(r"[\s-]", "", number).upper()


def candidates(number: str) -> list[Detection]:
    """Every carrier whose format (and check digit) the number fits, most certain first."""
    text = normalize_number(number)
    found: list[Detection] = []
    for fmt in _formats():
        result = fmt.definition.test(text)
        if result is None or not result.valid:
            continue
        code = fmt.carrier_code
        carrier = BY_CODE.get(code) if code else BY_COUNTRY.get(text[-2:])
        if carrier is not None and all(d.carrier != carrier for d in found):
            found.append(Detection(carrier, fmt.definition.product.name, fmt.has_check_digit))
    return found


def detect(number: str | None) -> Detection | None:
    """The carrier of a tracking number, or None when no known format fits."""
    if not number:
        return None
    found = candidates(number)
    return found[0] if found else None


@dataclass(frozen=True)
class ResolvedCarrier:
    name: str | None
    tracking_url: str | None
    code: str | None


def resolve_carrier(
    platform_name: str | None, number: str | None, platform_url: str | None = None
) -> ResolvedCarrier:
    """The carrier and tracking link to show: the platform's when it names a known carrier
    (or any name, if the number says nothing), else the one the number's format points to.
    """
    named = carrier_named(platform_name)
    carrier = named or detect(number)
    if isinstance(carrier, Detection):
        carrier = carrier.carrier
    if carrier is None:
        return ResolvedCarrier(platform_name or None, platform_url, None)
    url = platform_url or (tracking_url(carrier, normalize_number(number)) if number else None)
    return ResolvedCarrier(carrier.name, url, carrier.code)
