/** A Storage over a Map, for Node tests of code that keeps things in localStorage. */
export class MemoryStorage implements Storage {
  readonly #items = new Map<string, string>();
  /** How many more writes succeed before setItem throws, as a full storage does. */
  writesLeft = Infinity;
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
    if (this.writesLeft-- <= 0) throw new DOMException('full', 'QuotaExceededError');
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
