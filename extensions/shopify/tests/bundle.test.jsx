// The minified bundles, built in memory the way `npm run build` and the Shopify CLI build
// them, registered through `shopify.extend` and rendered: what Shopify will actually run.

import {build} from 'esbuild';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {BUNDLE_LIMIT_BYTES, uiBundleOptions} from '../scripts/build.mjs';
import {fakeApi, jsonResponse, postedEvents, sampleOffer, stubFetch} from './support/fake-shopify.js';

async function bundle(name) {
  const {outfile, ...options} = await uiBundleOptions(name);
  const result = await build({...options, write: false, logLevel: 'silent'});
  return result.outputFiles[0].text;
}

/** Runs the bundle with a global `shopify` and returns what it registered. */
function register(code, api) {
  const extensions = {};
  vi.stubGlobal('shopify', {
    ...api,
    setSignals: vi.fn(),
    extend: (target, callback) => {
      extensions[target] = callback;
    },
  });
  // eslint-disable-next-line no-new-func
  new Function(code)();
  return extensions;
}

afterEach(() => {
  // Each extension gets its own document in Shopify; give the next bundle a fresh body
  // rather than one that still carries the previous bundle's Preact tree.
  document.documentElement.replaceChild(document.createElement('body'), document.body);
});

describe('built bundles', () => {
  it('thank-you: registers its target, hands Preact signals to Shopify, renders offers', async () => {
    const code = await bundle('thank-you-offers');
    expect(code.length).toBeLessThan(BUNDLE_LIMIT_BYTES);
    const fetchMock = stubFetch(jsonResponse({impression_id: 'imp', offers: [sampleOffer()], tracking: null}));
    const api = fakeApi({
      extension: 'thank-you-offers',
      orderConfirmation: {order: {id: 'gid://shopify/OrderIdentity/1'}},
      lines: [],
    });
    const extensions = register(code, api);
    expect(Object.keys(extensions)).toEqual(['purchase.thank-you.block.render']);
    expect(globalThis.shopify.setSignals).toHaveBeenCalledTimes(1);

    await extensions['purchase.thank-you.block.render']();
    await vi.waitFor(() => expect(document.body.querySelector('s-button')).not.toBeNull());
    expect(document.body.querySelector('s-button').getAttribute('href')).toBe(sampleOffer().cart_url);
    expect(fetchMock.mock.calls[0][0]).toBe('http://localhost:8000/api/storefront/thank-you?order_id=gid%3A%2F%2Fshopify%2FOrderIdentity%2F1');
    await vi.waitFor(() => expect(postedEvents(fetchMock)).toHaveLength(1));
  });

  it('order status: registers its target and renders tracking', async () => {
    const code = await bundle('order-status-tracking');
    expect(code.length).toBeLessThan(BUNDLE_LIMIT_BYTES);
    stubFetch(jsonResponse({impression_id: 'imp', offers: [], tracking: {status: 'delivered', shipments: []}}));
    const api = fakeApi({extension: 'order-status-tracking', order: {id: 'gid://shopify/Order/5'}});
    const extensions = register(code, api);
    expect(Object.keys(extensions)).toEqual(['customer-account.order-status.block.render']);

    await extensions['customer-account.order-status.block.render']();
    await vi.waitFor(() => expect(document.body.querySelector('s-badge')?.textContent).toBe('Delivered'));
  });

  it('bakes APP_URL in when it is set at build time', async () => {
    vi.stubEnv('APP_URL', 'https://encore.example.com');
    const code = await bundle('thank-you-offers');
    expect(code).toContain('"https://encore.example.com"');
    expect(code).not.toMatch(/process\.env\.APP_URL/);
  });
});
