/**
 * What the host remembers of each open chat tab: the session it shows, its column and title.
 * VS Code brings a tab back after a reload with the state its webview last stored, but that
 * state is only as fresh as the workbench's last save of its editors, and the webview writes
 * it only once it has heard from the host; the host's own record is written the moment a tab
 * opens or changes chats. A restored tab takes the record of the session its state names, or,
 * when its state names none, the record it most likely is (same column and title, then same
 * column, then the oldest unclaimed).
 */

export interface TabRecord {
  /** The host's name for the tab (VS Code gives a tab no id that outlives a reload). */
  readonly key: string;
  readonly sessionId: string;
  readonly column?: number;
  readonly title?: string;
}

/** Where the records are kept (the workspace's state, a map in tests). */
export interface RecordStore {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

/** What a tab VS Code brings back says about itself. */
export interface RestoredTab {
  /** From the webview's stored state, when there is one. */
  readonly sessionId?: string;
  readonly column?: number;
  readonly title?: string;
}

const STORE_KEY = 'qcoder.chatTabs';

export class TabMemory {
  private records: TabRecord[];
  /** Records a tab of this window has taken (a second restored tab does not take the same one). */
  private readonly claimed = new Set<string>();
  private next = 0;

  constructor(
    private readonly store: RecordStore,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.records = validRecords(store.get(STORE_KEY));
  }

  /** A tab opened now on `sessionId`; returns its key. */
  add(tab: Omit<TabRecord, 'key'>): string {
    const key = this.newKey();
    this.records.push({ ...tab, key });
    this.claimed.add(key);
    this.save();
    return key;
  }

  /** A tab VS Code brought back: the record it takes (made when none fits) and the session it shows. */
  restore(tab: RestoredTab): TabRecord {
    const record = this.match(tab);
    if (record) {
      this.claimed.add(record.key);
      return record;
    }
    const key = this.add({ sessionId: tab.sessionId ?? '', column: tab.column, title: tab.title });
    return this.records.find((each) => each.key === key)!;
  }

  /** The tab moved, was renamed or shows another chat now. */
  update(key: string, change: Partial<Omit<TabRecord, 'key'>>): void {
    const index = this.records.findIndex((record) => record.key === key);
    if (index < 0) return;
    const updated = { ...this.records[index], ...change };
    const old = this.records[index];
    if (old.sessionId === updated.sessionId && old.column === updated.column && old.title === updated.title) return;
    this.records[index] = updated;
    this.save();
  }

  /** The user closed the tab. */
  remove(key: string): void {
    this.records = this.records.filter((record) => record.key !== key);
    this.claimed.delete(key);
    this.save();
  }

  get all(): readonly TabRecord[] {
    return this.records;
  }

  private match(tab: RestoredTab): TabRecord | undefined {
    const free = this.records.filter((record) => !this.claimed.has(record.key));
    // A state that names a session is the tab's word for it; a record is the fallback for a tab without one.
    if (tab.sessionId) return free.find((record) => record.sessionId === tab.sessionId);
    return (
      free.find((record) => record.column === tab.column && record.title === tab.title) ??
      free.find((record) => record.column === tab.column) ??
      free[0]
    );
  }

  private newKey(): string {
    const taken = new Set(this.records.map((record) => record.key));
    let key: string;
    do key = `tab-${Date.now().toString(36)}-${(this.next++).toString(36)}`;
    while (taken.has(key));
    return key;
  }

  private save(): void {
    Promise.resolve(this.store.update(STORE_KEY, this.records)).catch(this.onError);
  }
}

function validRecords(value: unknown): TabRecord[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown): TabRecord[] => {
    if (typeof item !== 'object' || item === null) return [];
    const { key, sessionId, column, title } = item as Record<string, unknown>;
    if (typeof key !== 'string' || typeof sessionId !== 'string') return [];
    return [
      {
        key,
        sessionId,
        ...(typeof column === 'number' ? { column } : {}),
        ...(typeof title === 'string' ? { title } : {}),
      },
    ];
  });
}
