// Entry for customer-account.order-status.block.render (API 2025-10+: Preact and the global `shopify`).

import '@shopify/ui-extensions/preact';
import {render} from 'preact';
import {OrderStatusTracking} from './OrderStatusTracking.jsx';

export default async () => {
  render(<OrderStatusTracking api={shopify} />, document.body);
};
