/**
 * A typed one-event emitter. The core has a handful of streams (lines changed, call
 * ended, log entry); each is one of these rather than a string-keyed EventEmitter.
 */
export class Signal<T> {
  readonly #listeners = new Set<(value: T) => void>();

  on(listener: (value: T) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(value: T): void {
    for (const listener of [...this.#listeners]) listener(value);
  }
}
