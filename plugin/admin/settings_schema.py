"""`Store.settings` as the admin accepts them: every key of docs/store-settings.md, checked.

A PATCH names only the keys it changes. `null` removes a key, so the code that reads it falls
back to its default, except `quiet_hours`, where null is a choice of its own (no quiet hours).
Unknown keys are refused, so a typo never hides in the settings.
"""

from __future__ import annotations

import secrets
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates,
    validates_schema,
)

SURFACES = ("thank_you", "order_status")
CHANNELS = ("email", "sms")
MILESTONES = ("shipped", "out_for_delivery", "delivered", "delayed")
KEEP_NULL = frozenset({"quiet_hours"})
PLATFORM_ID = validate.Regexp(r"^[A-Za-z0-9_.:/-]{1,64}$", error="Not a product id.")
CLOCK = validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="Use HH:MM, 24-hour clock.")
HEX_COLOUR = validate.Regexp(r"^#[0-9a-fA-F]{6}$", error="Use a colour like #1f5f8b.")
_template_checker = SandboxedEnvironment()


class _Strict(Schema):
    class Meta:
        unknown = RAISE


def _ids(max_items: int) -> fields.List:
    return fields.List(
        fields.String(validate=PLATFORM_ID),
        validate=validate.Length(max=max_items),
        load_default=list,
    )


class SurfaceSwitches(_Strict):
    thank_you = fields.Boolean(required=True)
    order_status = fields.Boolean(required=True)


class PinnedOffer(_Strict):
    id = fields.String(validate=validate.Regexp(r"^[A-Za-z0-9_-]{1,32}$"), load_default=None)
    product_id = fields.String(required=True, validate=PLATFORM_ID)
    trigger_product_ids = _ids(50)
    trigger_collection_ids = _ids(50)
    discount_percent = fields.Integer(validate=validate.Range(0, 90), load_default=0)
    surfaces = fields.List(
        fields.String(validate=validate.OneOf(SURFACES)),
        validate=validate.Length(min=1, max=2, error="Pick at least one surface."),
        load_default=lambda: list(SURFACES),
    )
    active = fields.Boolean(load_default=True)

    @post_load
    def named(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        data["id"] = data["id"] or secrets.token_hex(4)
        data["surfaces"] = [s for s in SURFACES if s in data["surfaces"]]
        return data


class FrequencyCap(_Strict):
    max_impressions = fields.Integer(required=True, validate=validate.Range(1, 100))
    days = fields.Integer(required=True, validate=validate.Range(1, 365))


class Milestones(_Strict):
    shipped = fields.Boolean()
    out_for_delivery = fields.Boolean()
    delivered = fields.Boolean()
    delayed = fields.Boolean()


class Channels(_Strict):
    email = fields.Nested(Milestones)
    sms = fields.Nested(Milestones)


class QuietHours(_Strict):
    start = fields.String(required=True, validate=CLOCK)
    end = fields.String(required=True, validate=CLOCK)

    @validates_schema
    def not_empty(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if data["start"] == data["end"]:
            raise ValidationError("Start and end are the same: use null for no quiet hours.")


class EmailTemplate(_Strict):
    subject = fields.String(required=True, validate=validate.Length(1, 200))
    body = fields.String(required=True, validate=validate.Length(1, 20000))

    @validates_schema
    def parses(self, data: dict[str, Any], **_kwargs: Any) -> None:
        for name in ("subject", "body"):
            try:
                _template_checker.parse(data[name])
            except TemplateSyntaxError as exc:
                raise ValidationError(
                    f"Template error on line {exc.lineno}: {exc.message}", name
                ) from exc


class EmailTemplates(_Strict):
    shipped = fields.Nested(EmailTemplate)
    out_for_delivery = fields.Nested(EmailTemplate)
    delivered = fields.Nested(EmailTemplate)
    delayed = fields.Nested(EmailTemplate)


def _text(max_length: int, min_length: int = 0) -> fields.String:
    return fields.String(allow_none=True, validate=validate.Length(min_length, max_length))


def _url(schemes: set[str]) -> fields.Url:
    return fields.Url(
        allow_none=True, schemes=schemes, require_tld=False, validate=validate.Length(max=1024)
    )


class StoreSettingsPatch(_Strict):
    """Any subset of the documented settings keys."""

    offer_discount_percent = fields.Integer(allow_none=True, validate=validate.Range(0, 90))
    offers_enabled = fields.Nested(SurfaceSwitches, allow_none=True)
    recommendations_fill = fields.Nested(SurfaceSwitches, allow_none=True)
    pinned_offers = fields.List(
        fields.Nested(PinnedOffer), allow_none=True, validate=validate.Length(max=50)
    )
    excluded_product_ids = fields.List(
        fields.String(validate=PLATFORM_ID), allow_none=True, validate=validate.Length(max=1000)
    )
    holdout_share = fields.Float(allow_none=True, validate=validate.Range(0, 0.5))
    frequency_cap = fields.Nested(FrequencyCap, allow_none=True)
    attribution_window_days = fields.Integer(allow_none=True, validate=validate.Range(1, 90))
    accent_color = fields.String(allow_none=True, validate=HEX_COLOUR)
    logo_url = _url({"https"})
    tracking_page_title = _text(80, 1)
    tracking_page_message = _text(500)
    support_url = _url({"https", "http"})
    support_email = fields.Email(allow_none=True, validate=validate.Length(max=320))
    returns_url = _url({"https", "http"})
    returns_text = _text(500)
    notifications = fields.Nested(Channels, allow_none=True)
    quiet_hours = fields.Nested(QuietHours, allow_none=True)
    timezone = fields.String(allow_none=True, validate=validate.Length(1, 64))
    email_templates = fields.Nested(EmailTemplates, allow_none=True)
    sender_name = _text(100, 1)
    feedback_enabled = fields.Boolean(allow_none=True)

    @validates("timezone")
    def known_zone(self, value: str | None, **_kwargs: Any) -> None:
        if value is None:
            return
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValidationError("Use an IANA time zone such as Europe/Paris.") from exc

    @validates("excluded_product_ids")
    def no_repeats(self, value: list[str] | None, **_kwargs: Any) -> None:
        if value is not None and len(set(value)) != len(value):
            raise ValidationError("A product is listed twice.")

    @validates("pinned_offers")
    def distinct_ids(self, value: list[dict[str, Any]] | None, **_kwargs: Any) -> None:
        if value is None:
            return
        ids = [offer["id"] for offer in value]
        if len(set(ids)) != len(ids):
            raise ValidationError("Two pinned offers have the same id.")

    @post_load
    def tidy(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        for key in ("tracking_page_message", "returns_text", "sender_name"):
            if isinstance(data.get(key), str) and not data[key].strip():
                data[key] = None  # an emptied field means "use the default"
        return data


def apply_patch(settings: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """The settings after a validated patch: given keys replaced, nulls removed."""
    updated = dict(settings)
    for key, value in patch.items():
        if value is None and key not in KEEP_NULL:
            updated.pop(key, None)
        elif key in ("notifications", "email_templates") and isinstance(value, dict):
            # Per channel / milestone: a patch of one milestone keeps the others.
            merged = dict(updated.get(key) or {}) if isinstance(updated.get(key), dict) else {}
            for inner, inner_value in value.items():
                if isinstance(inner_value, dict) and isinstance(merged.get(inner), dict):
                    merged[inner] = {**merged[inner], **inner_value}
                else:
                    merged[inner] = inner_value
            updated[key] = merged
        else:
            updated[key] = value
    return updated
