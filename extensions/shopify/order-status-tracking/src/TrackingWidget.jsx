// Where the order is: overall status, then each shipment with carrier, tracking link,
// estimated delivery and its events, newest first.

import {formatDay, formatMoment} from '../../shared/dates.js';
import {eventsNewestFirst, statusLabelKey, statusTone} from '../../shared/tracking-status.js';

function TrackingEvent({event, t, i18n}) {
  const time = formatMoment(event.at, {i18n});
  const details = [time, event.location].filter(Boolean).join(' · ');
  return (
    <s-list-item>
      <s-stack gap="none">
        <s-text>{event.message || t(statusLabelKey(event.status))}</s-text>
        {details ? <s-text color="subdued">{details}</s-text> : null}
      </s-stack>
    </s-list-item>
  );
}

/** "Nov 24 – Nov 26" when Encore knows a window; the carrier's (or a single) day otherwise. */
function DeliveryEstimate({shipment, t, i18n}) {
  const window = shipment.estimate;
  if (window && window.source !== 'carrier' && window.earliest !== window.latest) {
    const earliest = formatDay(window.earliest, {i18n});
    const latest = formatDay(window.latest, {i18n});
    if (earliest && latest) return <s-text>{t('tracking.estimated_window', {earliest, latest})}</s-text>;
  }
  const eta = formatDay(shipment.estimated_delivery, {i18n});
  return eta ? <s-text>{t('tracking.estimated_delivery', {date: eta})}</s-text> : null;
}

function Shipment({shipment, number, total, t, i18n}) {
  const events = eventsNewestFirst(shipment.events);
  return (
    <s-stack gap="small-200">
      <s-stack direction="inline" gap="small-200" alignItems="center">
        <s-text type="strong">
          {total > 1 ? t('tracking.shipment_numbered', {number, total}) : t('tracking.shipment')}
        </s-text>
        {shipment.status ? <s-badge tone={statusTone(shipment.status)}>{t(statusLabelKey(shipment.status))}</s-badge> : null}
      </s-stack>
      {shipment.carrier ? <s-text>{t('tracking.carrier', {carrier: shipment.carrier})}</s-text> : null}
      {shipment.tracking_number ? (
        <s-text>
          {t('tracking.tracking_number')}{' '}
          {shipment.tracking_url ? (
            <s-link href={shipment.tracking_url} target="_blank">
              {shipment.tracking_number}
            </s-link>
          ) : (
            shipment.tracking_number
          )}
        </s-text>
      ) : null}
      {shipment.exception ? <s-banner tone="warning">{t(`tracking.exception.${shipment.exception}`)}</s-banner> : null}
      <DeliveryEstimate shipment={shipment} t={t} i18n={i18n} />
      {events.length > 0 ? (
        <s-stack gap="small-300">
          <s-text color="subdued">{t('tracking.history')}</s-text>
          <s-unordered-list>
            {events.map((event, index) => (
              <TrackingEvent key={`${event.at}-${index}`} event={event} t={t} i18n={i18n} />
            ))}
          </s-unordered-list>
        </s-stack>
      ) : (
        <s-text color="subdued">{t('tracking.no_events')}</s-text>
      )}
    </s-stack>
  );
}

export function TrackingWidget({tracking, t, i18n}) {
  const shipments = tracking.shipments;
  return (
    <s-stack gap="base">
      <s-stack direction="inline" gap="small-200" alignItems="center">
        <s-text>{t('tracking.overall_status')}</s-text>
        <s-badge tone={statusTone(tracking.status)}>{t(statusLabelKey(tracking.status))}</s-badge>
      </s-stack>
      {shipments.map((shipment, index) => (
        <Shipment
          key={`${shipment.tracking_number ?? ''}-${index}`}
          shipment={shipment}
          number={index + 1}
          total={shipments.length}
          t={t}
          i18n={i18n}
        />
      ))}
    </s-stack>
  );
}
