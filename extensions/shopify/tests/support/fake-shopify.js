// A stand-in for the global `shopify` object of a UI extension, strict about
// translations: a key missing from the extension's locale file fails the test.

import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {vi} from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function readLocale(extension, file) {
  return JSON.parse(readFileSync(join(ROOT, extension, 'locales', file), 'utf8'));
}

export function lookup(messages, key) {
  return key.split('.').reduce((node, part) => (node && typeof node === 'object' ? node[part] : undefined), messages);
}

export function strictTranslate(messages) {
  return (key, replacements = {}) => {
    const template = lookup(messages, key);
    if (typeof template !== 'string') throw new Error(`missing translation: ${key}`);
    return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name) => {
      if (!(name in replacements)) throw new Error(`missing replacement ${name} for ${key}`);
      return String(replacements[name]);
    });
  };
}

export function fakeI18n(messages, locale = 'en-US') {
  return {
    translate: strictTranslate(messages),
    formatCurrency: (amount, options) => new Intl.NumberFormat(locale, {style: 'currency', ...options}).format(amount),
    formatNumber: (amount, options) => new Intl.NumberFormat(locale, options).format(amount),
    formatDate: (date, options) => new Intl.DateTimeFormat(locale, {timeZone: 'UTC', ...options}).format(date),
  };
}

/** A SubscribableSignalLike with a `set` for tests. */
export function signal(initial) {
  const listeners = new Set();
  return {
    value: initial,
    get current() {
      return this.value;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      this.value = next;
      for (const listener of listeners) listener(next);
    },
  };
}

export function fakeApi({extension, localeFile = 'en.default.json', locale = 'en-US', settings = {}, token = 'session-token', ...rest}) {
  return {
    settings: signal(settings),
    sessionToken: {get: vi.fn(async () => token)},
    i18n: fakeI18n(readLocale(extension, localeFile), locale),
    ...Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, signal(value)])),
  };
}

export function jsonResponse(body, status = 200) {
  return {ok: status >= 200 && status < 300, status, json: async () => body};
}

/**
 * Stubs global fetch: GETs answer with `answer` (a response, an Error to reject with,
 * or a never-settling promise), POSTs to the events endpoint answer 204.
 */
export function stubFetch(answer) {
  const fetchMock = vi.fn(async (url, init = {}) => {
    if ((init.method ?? 'GET') === 'POST') return {ok: true, status: 204, json: async () => ({})};
    const value = typeof answer === 'function' ? answer(url, init) : answer;
    if (value instanceof Error) throw value;
    return value;
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

export function postedEvents(fetchMock) {
  return fetchMock.mock.calls
    .filter(([, init]) => init?.method === 'POST')
    .map(([url, init]) => ({url, headers: init.headers, body: JSON.parse(init.body)}));
}

export function sampleOffer(overrides = {}) {
  return {
    offer_id: 'off_1',
    product_id: '632910392',
    variant_id: '808950810',
    title: 'Organic Honey',
    image_url: 'https://cdn.shopify.com/s/files/honey.jpg',
    price: '19.00',
    compare_at_price: '25.00',
    currency: 'USD',
    discount_code: 'ENCORE10',
    discount_percent: 10,
    cart_url: 'https://shop.example.myshopify.com/cart/808950810:1?discount=ENCORE10',
    reason: 'bought_together',
    ...overrides,
  };
}
