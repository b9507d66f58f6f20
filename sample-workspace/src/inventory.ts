import type { LineItem } from './cart';

export class Inventory {
  private readonly stock = new Map<string, number>();

  add(sku: string, count: number): void {
    this.stock.set(sku, (this.stock.get(sku) ?? 0) + count);
  }

  /** Removes the items of an order; throws, changing nothing, if any is short. */
  reserve(items: readonly LineItem[]): void {
    for (const item of items) {
      if ((this.stock.get(item.sku) ?? 0) < item.quantity) {
        throw new Error(`not enough ${item.sku}`);
      }
    }
    for (const item of items) this.add(item.sku, -item.quantity);
  }

  count(sku: string): number {
    return this.stock.get(sku) ?? 0;
  }
}
