import {describe, expect, it} from 'vitest';
import {formatMoney, hasCompareAtPrice, parseAmount} from '../../shared/money.js';

describe('money', () => {
  it('parses decimal strings only', () => {
    expect(parseAmount('19.00')).toBe(19);
    expect(parseAmount(' 7.5 ')).toBe(7.5);
    expect(parseAmount('1e3')).toBeNull();
    expect(parseAmount('19,00')).toBeNull();
    expect(parseAmount(null)).toBeNull();
  });

  it("uses Shopify's formatCurrency with the offer's currency", () => {
    const calls = [];
    const i18n = {formatCurrency: (amount, options) => (calls.push([amount, options]), `<${amount} ${options.currency}>`)};
    expect(formatMoney('19.00', 'EUR', {i18n})).toBe('<19 EUR>');
    expect(calls).toEqual([[19, {currency: 'EUR'}]]);
  });

  it('falls back to Intl in the given locale', () => {
    expect(formatMoney('19.00', 'USD', {locale: 'en-US'})).toBe('$19.00');
    expect(formatMoney('1234.5', 'EUR', {locale: 'fr-FR'})).toMatch(/^1\s234,50\s€$/);
    const broken = {formatCurrency: () => {
      throw new Error('boom');
    }};
    expect(formatMoney('5', 'GBP', {i18n: broken, locale: 'en-GB'})).toBe('£5.00');
  });

  it('copes with bad input', () => {
    expect(formatMoney('free', 'USD')).toBeNull();
    expect(formatMoney('3.5', 'dollars')).toBe('3.50');
  });

  it('strikes through only a real, higher compare-at price', () => {
    expect(hasCompareAtPrice({price: '19.00', compare_at_price: '25.00'})).toBe(true);
    expect(hasCompareAtPrice({price: '19.00', compare_at_price: '19.00'})).toBe(false);
    expect(hasCompareAtPrice({price: '19.00', compare_at_price: null})).toBe(false);
    expect(hasCompareAtPrice({price: 'x', compare_at_price: '25.00'})).toBe(false);
  });
});
