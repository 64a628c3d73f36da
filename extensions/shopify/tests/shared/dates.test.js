import {describe, expect, it} from 'vitest';
import {formatDay, formatMoment} from '../../shared/dates.js';

describe('dates', () => {
  it('shows a delivery day as that day, whatever the time zone', () => {
    expect(formatDay('2026-11-20', {locale: 'en-US'})).toBe('Nov 20, 2026');
    expect(formatDay('2026-11-20', {locale: 'fr-FR'})).toBe('20 nov. 2026');
  });

  it("passes options to Shopify's formatDate", () => {
    const seen = [];
    const i18n = {formatDate: (date, options) => (seen.push([date.toISOString(), options]), 'formatted')};
    expect(formatDay('2026-01-02', {i18n})).toBe('formatted');
    expect(formatMoment('2026-01-02T03:04:05Z', {i18n})).toBe('formatted');
    expect(seen).toEqual([
      ['2026-01-02T00:00:00.000Z', {dateStyle: 'medium', timeZone: 'UTC'}],
      ['2026-01-02T03:04:05.000Z', {dateStyle: 'medium', timeStyle: 'short'}],
    ]);
  });

  it('returns null for what is not a date', () => {
    expect(formatDay('soon')).toBeNull();
    expect(formatDay(null)).toBeNull();
    expect(formatMoment('yesterday')).toBeNull();
    expect(formatMoment(undefined)).toBeNull();
  });
});
