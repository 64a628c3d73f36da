// Entry for purchase.thank-you.block.render (API 2025-10+: Preact and the global `shopify`).

import '@shopify/ui-extensions/preact';
import {render} from 'preact';
import {ThankYouOffers} from './ThankYouOffers.jsx';

export default async () => {
  render(<ThankYouOffers api={shopify} />, document.body);
};
