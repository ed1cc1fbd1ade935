/** A Storage over a Map, for Node tests of code that keeps things in localStorage. */
export class MemoryStorage implements Storage {
  readonly #items = new Map<string, string>();
  /** When set, setItem throws as a full storage does. */
  full = false;
  get length(): number {
    return this.#items.size;
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.full) throw new DOMException('full', 'QuotaExceededError');
    this.#items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  clear(): void {
    this.#items.clear();
  }
  entries(): [string, string][] {
    return [...this.#items.entries()];
  }
}
