/**
 * A FIFO gate (a counting semaphore): at most `size` callers are inside at once, the rest wait in
 * arrival order. PgStore uses one for its connection slots and one (size 1) for this process's turn
 * to write; `close` fails every caller still waiting.
 */
export class Gate {
  #free: number;
  #waiting: { resolve: () => void; reject: (err: Error) => void }[] = [];

  constructor(size: number) {
    this.#free = size;
  }

  /** Resolves once the caller is inside; rejects with close's error if the gate closes first. */
  async enter(): Promise<void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  /** Lets the next waiter in, or frees the place. */
  leave(): void {
    const next = this.#waiting.shift();
    if (next) next.resolve();
    else this.#free++;
  }

  close(err: Error): void {
    for (const w of this.#waiting.splice(0)) w.reject(err);
  }
}
