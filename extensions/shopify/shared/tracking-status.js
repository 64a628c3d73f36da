// Encore's TrackingStatus values (CONTRACT.md) and how the widgets show them.

export const TRACKING_STATUSES = [
  'ordered',
  'confirmed',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'attempted_delivery',
  'ready_for_pickup',
  'exception',
  'returned',
  'cancelled',
];

/** The locale key of a status label; unknown statuses share one neutral label. */
export function statusLabelKey(status) {
  return TRACKING_STATUSES.includes(status) ? `tracking.status.${status}` : 'tracking.status.unknown';
}

/** Badge tone: statuses that need the buyer's attention stand out. */
export function statusTone(status) {
  return status === 'exception' || status === 'attempted_delivery' || status === 'cancelled' ? 'critical' : 'auto';
}

/** Tracking events, newest first; events without a readable time go last, in their order. */
export function eventsNewestFirst(events) {
  if (!Array.isArray(events)) return [];
  return events
    .map((event, index) => ({event, index, time: Date.parse(event?.at ?? '')}))
    .sort((a, b) => {
      const aValid = !Number.isNaN(a.time);
      const bValid = !Number.isNaN(b.time);
      if (aValid && bValid && a.time !== b.time) return b.time - a.time;
      if (aValid !== bValid) return aValid ? -1 : 1;
      return a.index - b.index;
    })
    .map(({event}) => event);
}
