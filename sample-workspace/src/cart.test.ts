import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { total } from './cart';

test('total without a discount', () => {
  assert.equal(total([{ sku: 'a', unitPrice: 250, quantity: 2 }]), 500);
});
