import {describe, expect, it} from 'vitest';
import {readOfferSettings} from '../../shared/extension-settings.js';

describe('extension settings', () => {
  it('has defaults before the merchant saves anything', () => {
    expect(readOfferSettings(undefined)).toEqual({
      heading: null,
      maxOffers: 3,
      showDiscountBadge: true,
      showOffers: true,
      trackingHeading: null,
      appUrl: 'http://localhost:8000',
    });
  });

  it('reads and bounds what the merchant set', () => {
    const settings = readOfferSettings({
      heading: '  Treat yourself ',
      max_offers: 7,
      show_discount_badge: false,
      show_offers: 'false',
      tracking_heading: 'Where is it?',
      app_url: 'https://encore.example.com/',
    });
    expect(settings).toEqual({
      heading: 'Treat yourself',
      maxOffers: 3,
      showDiscountBadge: false,
      showOffers: false,
      trackingHeading: 'Where is it?',
      appUrl: 'https://encore.example.com',
    });
    expect(readOfferSettings({max_offers: 0}).maxOffers).toBe(1);
    expect(readOfferSettings({max_offers: '2'}).maxOffers).toBe(2);
    expect(readOfferSettings({max_offers: 'many'}).maxOffers).toBe(3);
    expect(readOfferSettings({heading: '   '}).heading).toBeNull();
  });
});
