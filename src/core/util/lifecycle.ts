/** Disposables owned in one place (after VS Code's `DisposableStore`). */
export interface IDisposable {
  dispose(): void;
}

export class DisposableStore implements IDisposable {
  private readonly items = new Set<IDisposable>();
  private disposed = false;

  add<T extends IDisposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.add(item);
    return item;
  }

  /** Disposes what it holds now, and stays usable. */
  clear(): void {
    const items = [...this.items];
    this.items.clear();
    for (const item of items.reverse()) item.dispose();
  }

  dispose(): void {
    this.disposed = true;
    this.clear();
  }
}
