"""Carrier detection from a tracking number's format and check digit, for every carrier named
in issue 6: a valid number is recognised, the same number with a wrong check digit is not."""

from __future__ import annotations

import pytest

from plugin.tracking.detection import candidates, detect, iso7064_mod37_36, resolve_carrier

# (carrier code, valid number, the same number with its check digit changed, or None where
# the format has no check digit)
DETECTION_TABLE = [
    ("ups", "1Z5R89390357567127", "1Z5R89390357567128"),
    ("usps", "9400111899223197428497", "9400111899223197428490"),
    ("fedex", "449044304137821", "449044304137822"),  # FedEx Ground (15)
    ("fedex", "986578788855", "986578788856"),  # FedEx Express (12)
    ("dhl_express", "3318810025", "3318810026"),
    ("dhl_ecommerce", "GM2951173225174494", None),
    ("royal_mail", "RR123456785GB", "RR123456786GB"),  # S10, GB
    ("canada_post", "0073938000549297", "0073938000549298"),  # 16-digit pin
    ("canada_post", "EE123456785CA", "EE123456786CA"),  # S10, CA
    ("australia_post", "CX234567895AU", "CX234567896AU"),  # S10, AU
    ("postnl", "3SABCD123456789", None),
    ("postnl", "RB876543216NL", "RB876543217NL"),  # S10, NL
    ("dpd", "05212345678901K", "05212345678901A"),  # ISO 7064 MOD 37,36 check character
    ("gls", "123456789029", "123456789020"),
    ("amazon", "TBA123456789012", None),
]


@pytest.mark.parametrize(("carrier", "valid", "wrong_check"), DETECTION_TABLE)
def test_each_carrier_is_detected_and_a_wrong_check_digit_is_not(carrier, valid, wrong_check):
    found = detect(valid)
    assert found is not None and found.carrier.code == carrier
    if wrong_check is not None:
        assert found.has_check_digit
        assert carrier not in {d.carrier.code for d in candidates(wrong_check)}


def test_the_table_covers_every_carrier_of_the_issue():
    named = {
        "ups", "usps", "fedex", "dhl_express", "dhl_ecommerce", "royal_mail", "canada_post",
        "australia_post", "postnl", "dpd", "gls", "amazon",
    }  # fmt: skip
    assert {row[0] for row in DETECTION_TABLE} == named


def test_spaces_and_lower_case_are_read_like_the_printed_label():
    assert detect("1z5r 8939 0357 5671 27").carrier.code == "ups"
    assert detect("rr 123 456 785 gb").carrier.code == "royal_mail"


def test_unknown_numbers_are_not_guessed():
    assert detect("HELLO-WORLD") is None
    assert detect("") is None
    assert detect(None) is None
    assert detect("XX123456785ZZ") is None  # S10 shape, but no post we know


def test_dpd_check_character_is_iso7064():
    assert iso7064_mod37_36("05212345678901") == "K"


def test_platform_carrier_name_wins_over_the_number():
    # A GLS-looking number that the merchant says went by FedEx: FedEx it is.
    resolved = resolve_carrier("FedEx", "123456789029")
    assert resolved.code == "fedex" and resolved.name == "FedEx"
    assert resolved.tracking_url == "https://www.fedex.com/fedextrack/?trknbr=123456789029"


def test_platform_aliases_are_understood():
    assert resolve_carrier("United States Postal Service", None).name == "USPS"
    assert resolve_carrier("DHL eCommerce Solutions", None).code == "dhl_ecommerce"


def test_unknown_platform_name_falls_back_to_detection():
    resolved = resolve_carrier("Other", "1Z5R89390357567127")
    assert resolved.name == "UPS"
    assert resolved.tracking_url == "https://www.ups.com/track?tracknum=1Z5R89390357567127"


def test_unknown_name_and_unknown_number_keep_what_the_platform_said():
    resolved = resolve_carrier("Bob's Couriers", "ABC", "https://bobs.example/t/ABC")
    assert (resolved.name, resolved.tracking_url, resolved.code) == (
        "Bob's Couriers",
        "https://bobs.example/t/ABC",
        None,
    )


def test_platform_tracking_url_is_kept():
    resolved = resolve_carrier("UPS", "1Z5R89390357567127", "https://shop.example/track/1")
    assert resolved.tracking_url == "https://shop.example/track/1"


@pytest.mark.parametrize(
    ("code", "number", "url"),
    [
        ("usps", "9400111899223197428497", "https://tools.usps.com/go/TrackConfirmAction?tLabels="),
        ("royal_mail", "RR123456785GB", "https://www.royalmail.com/track-your-item#/"),
        ("postnl", "3SABCD123456789", "https://jouw.postnl.nl/track-and-trace/"),
        ("amazon", "TBA123456789012", "https://track.amazon.com/tracking/"),
    ],
)
def test_each_detected_carrier_has_a_tracking_url(code, number, url):
    resolved = resolve_carrier(None, number)
    assert resolved.code == code
    assert resolved.tracking_url.startswith(url) and number in resolved.tracking_url
