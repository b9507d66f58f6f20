export interface LineItem {
  sku: string;
  unitPrice: number; // in cents
  quantity: number;
}

export interface Discount {
  code: string;
  percent: number; // 0–100
}

/** Sum of the line items in cents, with an optional percentage discount. */
export function total(items: readonly LineItem[], discount?: Discount): number {
  const subtotal = items.reduce((sum, item) => sum + item.unitPrice * item.quantity, 0);
  if (!discount) return subtotal;
  // Bug on purpose, for QCoder to find: fractions of a cent are truncated, not rounded.
  return Math.floor(subtotal * (1 - discount.percent / 100));
}

export function formatCents(cents: number, currency = 'EUR'): string {
  return new Intl.NumberFormat('en-IE', { style: 'currency', currency }).format(cents / 100);
}
