import {describe, expect, it, vi} from 'vitest';
import {createEventRecorder, loadStorefront, orderStatusUrl, thankYouUrl} from '../../shared/storefront-api.js';
import {jsonResponse, postedEvents, sampleOffer, stubFetch} from '../support/fake-shopify.js';

const APP_URL = 'https://encore.example.com';
const sessionToken = (token = 'jwt') => ({get: vi.fn(async () => token)});

describe('storefront URLs', () => {
  it('builds the thank-you URL with an encoded order id and a comma list of product ids', () => {
    expect(thankYouUrl(APP_URL, {orderId: 'gid://shopify/OrderIdentity/9', productIds: ['1', '22']})).toBe(
      'https://encore.example.com/api/storefront/thank-you?order_id=gid%3A%2F%2Fshopify%2FOrderIdentity%2F9&product_ids=1,22',
    );
    expect(thankYouUrl(APP_URL, {orderId: '9', productIds: ['x&y', '3']})).toBe(
      'https://encore.example.com/api/storefront/thank-you?order_id=9&product_ids=3',
    );
    expect(thankYouUrl(APP_URL, {orderId: '9'})).toBe('https://encore.example.com/api/storefront/thank-you?order_id=9');
  });

  it('builds the order-status URL', () => {
    expect(orderStatusUrl(APP_URL, {orderId: 'gid://shopify/Order/7'})).toBe(
      'https://encore.example.com/api/storefront/order-status?order_id=gid%3A%2F%2Fshopify%2FOrder%2F7',
    );
  });
});

describe('loadStorefront', () => {
  it('GETs with the bearer token and returns the normalized body', async () => {
    const fetchMock = stubFetch(jsonResponse({impression_id: 'imp', offers: [sampleOffer()], tracking: null}));
    const result = await loadStorefront(sessionToken('abc'), `${APP_URL}/x`);
    expect(fetchMock).toHaveBeenCalledWith(`${APP_URL}/x`, {
      method: 'GET',
      headers: {Authorization: 'Bearer abc', Accept: 'application/json'},
    });
    expect(result.impressionId).toBe('imp');
    expect(result.offers.map((offer) => offer.offer_id)).toEqual(['off_1']);
    expect(result.tracking).toBeNull();
  });

  it('fails on a non-2xx answer, a bad body, or no token', async () => {
    stubFetch(jsonResponse({}, 401));
    await expect(loadStorefront(sessionToken(), APP_URL)).rejects.toMatchObject({status: 401});
    stubFetch(jsonResponse([1, 2]));
    await expect(loadStorefront(sessionToken(), APP_URL)).rejects.toThrow('unexpected response shape');
    const fetchMock = stubFetch(jsonResponse({offers: []}));
    await expect(loadStorefront(sessionToken(''), APP_URL)).rejects.toThrow('no session token');
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

describe('event recorder', () => {
  it('POSTs {impression_id, offer_id, type} as JSON with the bearer token', async () => {
    const fetchMock = stubFetch();
    const record = createEventRecorder({appUrl: APP_URL, sessionToken: sessionToken('t1'), impressionId: 'imp_1'});
    await expect(record('view', 'off_1')).resolves.toBe(true);
    await record('click', 'off_1');
    await record('dismiss', 'off_2');
    const events = postedEvents(fetchMock);
    expect(events.map((event) => event.body)).toEqual([
      {impression_id: 'imp_1', offer_id: 'off_1', type: 'view'},
      {impression_id: 'imp_1', offer_id: 'off_1', type: 'click'},
      {impression_id: 'imp_1', offer_id: 'off_2', type: 'dismiss'},
    ]);
    expect(events[0].url).toBe(`${APP_URL}/api/storefront/events`);
    expect(events[0].headers).toMatchObject({Authorization: 'Bearer t1', 'Content-Type': 'application/json'});
  });

  it('sends nothing for an unknown type or without an impression', async () => {
    const fetchMock = stubFetch();
    await expect(createEventRecorder({appUrl: APP_URL, sessionToken: sessionToken(), impressionId: 'imp'})('purchase', 'o')).resolves.toBe(false);
    await expect(createEventRecorder({appUrl: APP_URL, sessionToken: sessionToken(), impressionId: null})('view', 'o')).resolves.toBe(false);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('never throws: a failed POST resolves to false', async () => {
    stubFetch();
    vi.stubGlobal('fetch', vi.fn(async () => {
      throw new TypeError('offline');
    }));
    const record = createEventRecorder({appUrl: APP_URL, sessionToken: sessionToken(), impressionId: 'imp'});
    await expect(record('view', 'o')).resolves.toBe(false);
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse({}, 500)));
    await expect(record('click', 'o')).resolves.toBe(false);
  });
});
