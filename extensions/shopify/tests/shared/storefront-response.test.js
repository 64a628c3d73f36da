import {describe, expect, it} from 'vitest';
import {httpUrl, normalizeOffer, normalizeStorefrontResponse, normalizeTracking} from '../../shared/storefront-response.js';
import {sampleOffer} from '../support/fake-shopify.js';

describe('storefront response', () => {
  it('keeps contract offers as they are', () => {
    expect(normalizeOffer(sampleOffer())).toEqual(sampleOffer());
  });

  it('drops offers that cannot be shown or bought', () => {
    expect(normalizeOffer(sampleOffer({offer_id: ''}))).toBeNull();
    expect(normalizeOffer(sampleOffer({title: '  '}))).toBeNull();
    expect(normalizeOffer(sampleOffer({cart_url: 'javascript:alert(1)'}))).toBeNull();
    expect(normalizeOffer(sampleOffer({cart_url: '/cart/1:1'}))).toBeNull();
    expect(normalizeOffer('offer')).toBeNull();
  });

  it('never lets a non-http image through and bounds the discount', () => {
    expect(normalizeOffer(sampleOffer({image_url: 'data:image/svg+xml,<svg/>'})).image_url).toBeNull();
    expect(normalizeOffer(sampleOffer({discount_percent: 0})).discount_percent).toBeNull();
    expect(normalizeOffer(sampleOffer({discount_percent: 150})).discount_percent).toBeNull();
    expect(normalizeOffer(sampleOffer({discount_percent: '12.6'})).discount_percent).toBe(13);
  });

  it('normalizes tracking and its shipments', () => {
    const tracking = normalizeTracking({
      status: 'in_transit',
      shipments: [{carrier: 'UPS', tracking_number: 123, tracking_url: 'javascript:x', events: [{at: '2026-01-01T00:00:00Z'}, null]}, 'junk'],
    });
    expect(tracking).toEqual({
      status: 'in_transit',
      shipments: [
        {
          carrier: 'UPS',
          tracking_number: '123',
          tracking_url: null,
          status: null,
          estimated_delivery: null,
          estimate: null,
          exception: null,
          events: [{at: '2026-01-01T00:00:00Z', status: null, message: null, location: null}],
        },
      ],
    });
    expect(normalizeTracking(null)).toBeNull();
  });

  it('keeps the delivery window, problem, help and feedback, and only safe values of them', () => {
    const tracking = normalizeTracking({
      status: 'delivered',
      shipments: [
        {estimate: {earliest: '2026-11-24T12:00:00Z', likely: '2026-11-25T12:00:00Z', latest: '2026-11-26T12:00:00Z', source: 'store_history'}, exception: 'late', events: []},
        {estimate: {likely: 'x'}, exception: '<script>', events: []},
      ],
      help: {returns_url: 'https://shop.example/returns', returns_text: ' Free returns ', support_url: 'javascript:alert(1)', support_email: 'not an email'},
      feedback: {enabled: true, submitted: false, rating: 9, url: 'https://encore.example.com/api/storefront/feedback/tok'},
    });
    expect(tracking.shipments[0].estimate).toEqual({earliest: '2026-11-24T12:00:00Z', likely: '2026-11-25T12:00:00Z', latest: '2026-11-26T12:00:00Z', source: 'store_history'});
    expect(tracking.shipments[0].exception).toBe('late');
    expect(tracking.shipments[1].estimate).toBeNull();
    expect(tracking.shipments[1].exception).toBeNull();
    expect(tracking.help).toEqual({returns_url: 'https://shop.example/returns', returns_text: 'Free returns', support_url: null, support_email: null});
    expect(tracking.feedback).toEqual({enabled: true, submitted: false, rating: null, url: 'https://encore.example.com/api/storefront/feedback/tok'});
    expect(normalizeTracking({status: 'x', shipments: [], help: {}, feedback: {url: 'ftp://x'}})).toEqual({status: 'x', shipments: []});
  });

  it('rejects bodies that are not the contract shape', () => {
    expect(normalizeStorefrontResponse(null)).toBeNull();
    expect(normalizeStorefrontResponse({offers: 'none'})).toBeNull();
    expect(normalizeStorefrontResponse({impression_id: 'i', offers: []})).toEqual({impressionId: 'i', offers: [], tracking: null});
  });

  it('accepts only absolute http(s) URLs', () => {
    expect(httpUrl('https://a.example/x')).toBe('https://a.example/x');
    expect(httpUrl('HTTP://A.EXAMPLE')).toBe('HTTP://A.EXAMPLE');
    expect(httpUrl('//a.example')).toBeNull();
    expect(httpUrl('https://a.example/ x')).toBeNull();
  });
});
