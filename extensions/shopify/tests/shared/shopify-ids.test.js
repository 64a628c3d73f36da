import {describe, expect, it} from 'vitest';
import {numericId, orderIdParam, productIdsFromLines} from '../../shared/shopify-ids.js';

describe('Shopify ids', () => {
  it('takes the numeric part of GIDs and plain ids', () => {
    expect(numericId('gid://shopify/Product/632910392')).toBe('632910392');
    expect(numericId('gid://shopify/OrderIdentity/5881974834746')).toBe('5881974834746');
    expect(numericId('gid://shopify/ProductVariant/1?key=abc')).toBe('1');
    expect(numericId('808950810')).toBe('808950810');
    expect(numericId(808950810)).toBe('808950810');
  });

  it('refuses what is not an id', () => {
    for (const bad of ['gid://shopify/Product/', 'gid://other/Product/1', 'abc', '', -3, 1.5, null, undefined, {}]) {
      expect(numericId(bad)).toBeNull();
    }
  });

  it('sends the order id as Shopify gave it: OrderIdentity or Order GID, or digits', () => {
    expect(orderIdParam('gid://shopify/OrderIdentity/5881974834746')).toBe('gid://shopify/OrderIdentity/5881974834746');
    expect(orderIdParam('gid://shopify/Order/450789469')).toBe('gid://shopify/Order/450789469');
    expect(orderIdParam('450789469')).toBe('450789469');
    expect(orderIdParam('gid://shopify/Product/1')).toBeNull();
    expect(orderIdParam('gid://shopify/Order/1/../x')).toBeNull();
    expect(orderIdParam(undefined)).toBeNull();
  });

  it('collects distinct numeric product ids from the order lines, in order', () => {
    const lines = [
      {merchandise: {product: {id: 'gid://shopify/Product/2'}}},
      {merchandise: {product: {id: 'gid://shopify/Product/1'}}},
      {merchandise: {product: {id: 'gid://shopify/Product/2'}}},
      {merchandise: {}},
      null,
      {merchandise: {product: {id: 'not-an-id'}}},
    ];
    expect(productIdsFromLines(lines)).toEqual(['2', '1']);
    expect(productIdsFromLines(undefined)).toEqual([]);
  });
});
