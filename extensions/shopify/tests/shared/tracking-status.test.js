import {describe, expect, it} from 'vitest';
import {TRACKING_STATUSES, eventsNewestFirst, statusLabelKey, statusTone} from '../../shared/tracking-status.js';

describe('tracking status', () => {
  it('has the ten TrackingStatus values of the contract', () => {
    expect(TRACKING_STATUSES).toEqual([
      'ordered', 'confirmed', 'in_transit', 'out_for_delivery', 'delivered',
      'attempted_delivery', 'ready_for_pickup', 'exception', 'returned', 'cancelled',
    ]);
  });

  it('maps each status to its label key and anything else to "unknown"', () => {
    expect(statusLabelKey('out_for_delivery')).toBe('tracking.status.out_for_delivery');
    expect(statusLabelKey('OUT_FOR_DELIVERY')).toBe('tracking.status.unknown');
    expect(statusLabelKey(undefined)).toBe('tracking.status.unknown');
    expect(statusLabelKey('__proto__')).toBe('tracking.status.unknown');
  });

  it('marks problems critical', () => {
    expect(statusTone('exception')).toBe('critical');
    expect(statusTone('cancelled')).toBe('critical');
    expect(statusTone('delivered')).toBe('auto');
  });

  it('orders events newest first, undated ones last', () => {
    const events = [
      {at: '2026-11-16T08:00:00Z', message: 'a'},
      {at: null, message: 'undated'},
      {at: '2026-11-18T08:00:00+01:00', message: 'c'},
      {at: '2026-11-17T08:00:00Z', message: 'b'},
    ];
    expect(eventsNewestFirst(events).map((event) => event.message)).toEqual(['c', 'b', 'a', 'undated']);
    expect(events[0].message).toBe('a');
    expect(eventsNewestFirst(null)).toEqual([]);
  });
});
