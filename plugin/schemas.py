"""Marshmallow schemas for the JSON Encore reads and writes at its boundaries.

Input schemas turn a bad request into one 400 answer (`plugin.errors`); output schemas fix the
shape and formatting of what storefront surfaces receive (CONTRACT.md).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP
from typing import Any

from marshmallow import EXCLUDE, INCLUDE, Schema, ValidationError, fields, post_load, validate

from plugin.models import OfferEventType
from plugin.platforms.shopify_ids import order_id_from_reference, product_ids_from_list

# ---- in ---------------------------------------------------------------------------------


class ShopifyBlockQuerySchema(Schema):
    """`?order_id=…&product_ids=…` from the thank-you and order-status extensions."""

    class Meta:
        unknown = EXCLUDE

    order_id = fields.String(required=True)
    product_ids = fields.String(load_default="")

    @post_load
    def to_platform_ids(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        order_id = order_id_from_reference(data["order_id"])
        if order_id is None:
            raise ValidationError(
                "Use gid://shopify/OrderIdentity/N, gid://shopify/Order/N or N.", "order_id"
            )
        product_ids = product_ids_from_list(data["product_ids"])
        if product_ids is None:
            raise ValidationError(
                "Use a comma list of at most 100 numeric product ids.", "product_ids"
            )
        return {"order_id": order_id, "product_ids": product_ids}


class ProxyOffersQuerySchema(Schema):
    """`?product_ids=…&limit=…` from a theme block (the cart's products, how many cards)."""

    class Meta:
        unknown = EXCLUDE

    product_ids = fields.String(load_default="")
    limit = fields.Integer(load_default=3, validate=validate.Range(min=1, max=3))

    @post_load
    def to_platform_ids(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        product_ids = product_ids_from_list(data["product_ids"])
        if product_ids is None:
            raise ValidationError(
                "Use a comma list of at most 100 numeric product ids.", "product_ids"
            )
        return {"product_ids": product_ids, "limit": data["limit"]}


class OfferEventSchema(Schema):
    """`POST /api/storefront/events`: one view, click or dismiss of one offer."""

    class Meta:
        unknown = EXCLUDE  # newer extensions may send more; what we need is checked

    impression_id = fields.String(required=True, validate=validate.Length(min=1, max=32))
    offer_id = fields.String(required=True, validate=validate.Length(min=1, max=128))
    type = fields.String(
        required=True, validate=validate.OneOf([kind.value for kind in OfferEventType])
    )
    # WooCommerce block: the order key; tracking page: the tracking token (see events.py).
    order_key = fields.String(load_default=None, validate=validate.Length(min=1, max=64))
    tracking_token = fields.String(load_default=None, validate=validate.Length(min=1, max=64))


class FeedbackSchema(Schema):
    """`POST /api/storefront/feedback/<token>`: the order-status block's rating form."""

    class Meta:
        unknown = EXCLUDE

    rating = fields.Integer(required=True, validate=validate.Range(min=1, max=5))
    comment = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class WooCommercePingSchema(Schema):
    """The unsigned form body WooCommerce sends when a webhook is created."""

    webhook_id = fields.Integer(required=True)


# ---- out --------------------------------------------------------------------------------


class Open:
    """Answers may carry more fields than listed (documented as open objects)."""

    unknown = INCLUDE


class ErrorDetailSchema(Schema):
    code = fields.String(required=True, metadata={"example": "invalid_input"})
    message = fields.String(required=True, metadata={"description": "What to do next."})
    problems = fields.Dict(
        data_key="fields",
        required=True,
        metadata={"description": "Per-field problems; empty when none."},
    )


class ErrorSchema(Schema):
    """Every refusal: `{"error": {"code", "message", "fields"}}`."""

    error = fields.Nested(ErrorDetailSchema, required=True)


class StatusSchema(Schema):
    """A short acknowledgement, e.g. `{"status": "accepted"}`."""

    class Meta(Open):
        pass

    status = fields.String(required=True)


class UtcTime(fields.Field):
    """An aware datetime as ISO 8601 in UTC with a `Z`, to the second."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise ValidationError("Not a datetime.")
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def money() -> fields.Decimal:
    """Amounts as decimal strings with two places ("19.00"), never floats."""
    return fields.Decimal(places=2, rounding=ROUND_HALF_UP, as_string=True, allow_none=True)


class OfferOutSchema(Schema):
    class Meta(Open):
        pass

    offer_id = fields.String()
    product_id = fields.String()
    variant_id = fields.String()
    title = fields.String()
    image_url = fields.String(allow_none=True)
    price = money()
    compare_at_price = money()
    currency = fields.String()
    discount_code = fields.String(allow_none=True)
    discount_percent = fields.Integer()
    cart_url = fields.String()
    reason = fields.String()


class ShipmentEventOutSchema(Schema):
    class Meta(Open):
        pass

    at = UtcTime()
    status = fields.String()
    message = fields.String(allow_none=True)
    location = fields.String(allow_none=True)


class ShipmentOutSchema(Schema):
    class Meta(Open):
        pass

    carrier = fields.String(allow_none=True)
    tracking_number = fields.String(allow_none=True)
    tracking_url = fields.String(allow_none=True)
    status = fields.String()
    estimated_delivery = UtcTime(allow_none=True)
    events = fields.List(fields.Nested(ShipmentEventOutSchema))


class TrackingOutSchema(Schema):
    class Meta(Open):
        pass

    status = fields.String()
    shipments = fields.List(fields.Nested(ShipmentOutSchema))


class StorefrontAnswerSchema(Schema):
    """What every storefront surface receives (CONTRACT.md)."""

    class Meta(Open):
        pass

    impression_id = fields.String(required=True)
    offers = fields.List(fields.Nested(OfferOutSchema), required=True)
    tracking = fields.Nested(TrackingOutSchema, allow_none=True, required=True)


offer_out = OfferOutSchema()
tracking_out = TrackingOutSchema()
