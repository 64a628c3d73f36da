"""Marshmallow schemas of the admin API: queries and bodies in, figures out."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from plugin.admin.background_tasks import TaskState
from plugin.admin.settings_schema import CHANNELS, MILESTONES, EmailTemplate
from plugin.analytics.period import MAX_DAYS, PRESETS
from plugin.schemas import UtcTime, money

PHONE = re.compile(r"\+[1-9]\d{6,14}")

# ---- in ---------------------------------------------------------------------------------


class DashboardQuery(Schema):
    """`?period=7d|30d|90d` or `?period=custom&from=YYYY-MM-DD&to=YYYY-MM-DD`."""

    class Meta:
        unknown = RAISE

    period = fields.String(load_default="30d", validate=validate.OneOf([*PRESETS, "custom"]))
    from_ = fields.Date(data_key="from", load_default=None)
    to = fields.Date(load_default=None)

    @validates_schema
    def whole_custom_range(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if data["period"] != "custom":
            return
        first, last = data.get("from_"), data.get("to")
        if not isinstance(first, date) or not isinstance(last, date):
            raise ValidationError("A custom period needs both from and to.", "from")
        if first > last:
            raise ValidationError("from must be on or before to.", "from")
        if (last - first).days + 1 > MAX_DAYS:
            raise ValidationError(f"Pick at most {MAX_DAYS} days.", "to")


class DeadLetterReplay(Schema):
    class Meta:
        unknown = RAISE

    ids = fields.List(
        fields.Integer(validate=validate.Range(min=1)),
        load_default=None,
        validate=validate.Length(min=1, max=500),
    )
    all = fields.Boolean(load_default=False)

    @validates_schema
    def something_to_replay(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if not data.get("ids") and not data.get("all"):
            raise ValidationError("Name the dead letters (ids) or send all: true.", "ids")


class NotificationTest(Schema):
    class Meta:
        unknown = RAISE

    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    milestone = fields.String(required=True, validate=validate.OneOf(MILESTONES))
    recipient = fields.String(required=True, validate=validate.Length(3, 320))

    @validates_schema
    def recipient_fits_channel(self, data: dict[str, Any], **_kwargs: Any) -> None:
        recipient = data["recipient"].strip()
        if data["channel"] == "email":
            try:
                fields.Email().deserialize(recipient)
            except ValidationError as exc:
                raise ValidationError("Use an email address.", "recipient") from exc
        elif not PHONE.fullmatch(recipient):
            raise ValidationError(
                "Use a phone number in international form: +15551234567.", "recipient"
            )


class NotificationPreview(EmailTemplate):
    milestone = fields.String(required=True, validate=validate.OneOf(MILESTONES))


class ProductSearch(Schema):
    class Meta:
        unknown = RAISE

    q = fields.String(load_default="", validate=validate.Length(max=100))


# ---- out --------------------------------------------------------------------------------


class TopOfferOut(Schema):
    product_id = fields.String()
    title = fields.String()
    shown = fields.Integer()
    clicks = fields.Integer()
    conversions = fields.Integer()
    revenue = money()


class OfferDayOut(Schema):
    day = fields.Date()
    impressions = fields.Integer()
    clicks = fields.Integer()
    revenue = money()


class OffersOut(Schema):
    impressions = fields.Integer()
    offers_shown = fields.Integer()
    clicks = fields.Integer()
    click_through_rate = fields.Float(allow_none=True)
    holdout_showings = fields.Integer()
    conversions = fields.Integer(allow_none=True)
    attributed_revenue = money()
    top_offers = fields.List(fields.Nested(TopOfferOut))
    daily = fields.List(fields.Nested(OfferDayOut))


class GroupOut(Schema):
    orders = fields.Integer(attribute="n")
    revenue_per_order = fields.Float(attribute="mean")


class IntervalOut(Schema):
    difference = fields.Float()
    low = fields.Float()
    high = fields.Float()
    confidence = fields.Float()
    standard_error = fields.Float()
    degrees_of_freedom = fields.Float(allow_none=True)


class HoldoutOut(Schema):
    window_days = fields.Integer()
    treatment = fields.Nested(GroupOut)
    control = fields.Nested(GroupOut)
    difference = fields.Nested(IntervalOut, attribute="interval", allow_none=True)
    relative_lift = fields.Float(allow_none=True)
    method = fields.Constant("welch_normal_approximation")


class DeliveriesOut(Schema):
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer())
    shipments = fields.Integer()
    delivered = fields.Integer()
    mean_days_to_deliver = fields.Float(allow_none=True)
    with_estimate = fields.Integer()
    on_time = fields.Integer()
    on_time_rate = fields.Float(allow_none=True)
    mean_days_late = fields.Float(allow_none=True)


class TrackingPageOut(Schema):
    views = fields.Integer()
    orders_looked_up = fields.Integer()
    shipped_orders = fields.Integer()
    views_per_shipped_order = fields.Float(allow_none=True)


class NotificationsOut(Schema):
    sent = fields.Integer()
    failed = fields.Integer()
    by_channel = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_milestone = fields.Dict(keys=fields.String(), values=fields.Integer())


class FeedbackOut(Schema):
    responses = fields.Integer()
    average = fields.Float(allow_none=True)
    stars = fields.Dict(keys=fields.String(), values=fields.Integer())


class ParcelOut(Schema):
    shipment_id = fields.Integer()
    order_name = fields.String(allow_none=True)
    carrier = fields.String(allow_none=True)
    tracking_number = fields.String(allow_none=True)
    kind = fields.String()
    since = UtcTime(allow_none=True)


class PeriodOut(Schema):
    first_day = fields.Date(data_key="from")
    last_day = fields.Date(data_key="to")
    preset = fields.String(allow_none=True)
    start = UtcTime()
    end = UtcTime()


class DashboardOut(Schema):
    period = fields.Nested(PeriodOut)
    currency = fields.String()
    offers = fields.Nested(OffersOut)
    revenue_per_order_vs_holdout = fields.Nested(HoldoutOut, attribute="holdout")
    deliveries = fields.Nested(DeliveriesOut)
    tracking_page = fields.Nested(TrackingPageOut)
    notifications = fields.Nested(NotificationsOut, allow_none=True)
    feedback = fields.Nested(FeedbackOut, allow_none=True)
    to_act_on = fields.List(fields.Nested(ParcelOut), allow_none=True)


class DeadLetterOut(Schema):
    id = fields.Integer()
    topic = fields.String()
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)
    received_at = UtcTime()


class WebhookSubscriptionOut(Schema):
    topic = fields.String()
    status = fields.String()
    uri = fields.String()


class TokenStatusOut(Schema):
    state = fields.String(
        metadata={"description": "ok | refresh_due | missing | uninstalled | not_needed"}
    )
    detail = fields.String()


class BackgroundTaskOut(Schema):
    """A periodic task shared by every store, and how its last run went."""

    name = fields.String()
    label = fields.String()
    interval_seconds = fields.Float(metadata={"description": "0 when the task is turned off."})
    state = fields.String(validate=validate.OneOf([state.value for state in TaskState]))
    detail = fields.String(metadata={"description": "What the state means; what to do next."})
    running = fields.Boolean(metadata={"description": "A run holds the task's lease now."})
    last_started_at = UtcTime(allow_none=True)
    last_finished_at = UtcTime(allow_none=True)
    last_error_kind = fields.String(
        allow_none=True,
        metadata={"description": "The last run's error, by kind only; the log has the message."},
    )


class HealthOut(Schema):
    inbox = fields.Dict(keys=fields.String(), values=fields.Integer())
    oldest_waiting_at = UtcTime(allow_none=True)
    dead_letters = fields.List(fields.Nested(DeadLetterOut))
    webhooks = fields.List(fields.Nested(WebhookSubscriptionOut))
    missing_topics = fields.List(fields.String())
    token = fields.Nested(TokenStatusOut)
    last_reconciliation = UtcTime(allow_none=True)
    background_tasks = fields.List(fields.Nested(BackgroundTaskOut))


class StoreOut(Schema):
    id = fields.String(attribute="public_id")
    name = fields.String(allow_none=True)
    platform = fields.String()
    domain = fields.String()
    currency = fields.String()
