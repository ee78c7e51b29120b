/**
 * Writers' turns across processes on one SQLite file. SQLite's write lock cannot be waited on: a
 * writer that meets it polls (SqliteStore's #whileBusy: short sleeps), and with twenty processes on
 * two cores the pollers took the CPU the lock holder needed while it slept past the moment the lock
 * came free (the stress proof's p99 tail). So each write transaction first takes an exclusive
 * flock() on the WAL file: free, it is one system call; held, the kernel queues the writer and wakes
 * it as the holder lets go, without polling. The turn is only a queue in front of SQLite's lock,
 * never a substitute: a writer without one (the original tool, an older backlog, a turn that timed
 * out) still meets SQLite's lock. It is let go after COMMIT (letting it go before made the next
 * writer poll SQLite's lock through the commit: p50 2.7 → 9 ms under the stress proof).
 *
 * The WAL file, because SQLite takes no fcntl() locks on it: opening and closing a handle on the
 * database or its -shm file would drop the process's SQLite locks on that file (POSIX). Not on
 * Windows, whose file locks are mandatory (SQLite's own writes to the WAL would be refused).
 */

/** Open turn handles per WAL file (real path) in this process. */
const open = new Map<string, number>();

export class WriteTurn {
  /** undefined: not opened yet (no WAL yet); null: not used. */
  #file: Deno.FsFile | null | undefined;
  #held = false;
  /** The WAL's real path: the key of `open`. */
  #key = "";

  constructor(readonly walPath: string) {
    if (Deno.build.os === "windows") this.#file = null;
  }

  /**
   * Takes the turn: at once when it is free; else, when this is the process's only handle on the
   * file, waits in the kernel with the thread blocked (as #whileBusy's sleeps block it; another
   * process holds the turn only around its own write transaction); else (another store of this
   * process may hold it across an await) waits without blocking the event loop, for up to `ms`,
   * then goes on without it. Never throws.
   */
  take(ms: number): Promise<void> | void {
    const f = this.#open();
    if (!f) return;
    try {
      if (f.tryLockSync(true)) {
        this.#held = true;
        return;
      }
    } catch {
      this.close();
      return;
    }
    if ((open.get(this.#key) ?? 0) < 2) {
      // The only handle in this process: nothing here can hold the turn, so wait in the kernel.
      try {
        f.lockSync(true);
        this.#held = true;
      } catch {
        this.close();
      }
      return;
    }
    return this.#wait(f, ms);
  }

  async #wait(f: Deno.FsFile, ms: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), ms));
    const lock = f.lock(true).then(() => true, () => false);
    try {
      if (await Promise.race([lock, late])) {
        this.#held = true;
        return;
      }
    } finally {
      clearTimeout(timer);
    }
    // A writer held its turn that long (stopped, hung): SQLite's lock alone decides from now on on
    // this store; the handle is closed when (if ever) the turn comes, which hands it straight back.
    this.#file = null;
    void lock.then(() => {
      try {
        f.close();
      } catch { /* already closed */ }
    });
  }

  /** Lets the turn go (when held). */
  release(): void {
    if (!this.#held) return;
    this.#held = false;
    try {
      this.#file?.unlockSync();
    } catch { /* closed */ }
  }

  close(): void {
    this.#held = false;
    if (this.#file) {
      try {
        this.#file.close();
      } catch { /* already closed */ }
      const n = (open.get(this.#key) ?? 1) - 1;
      if (n) open.set(this.#key, n);
      else open.delete(this.#key);
    }
    this.#file = null;
  }

  #open(): Deno.FsFile | null | undefined {
    if (this.#file !== undefined) return this.#file;
    try {
      const key = Deno.realPathSync(this.walPath);
      this.#file = Deno.openSync(key, { read: true });
      this.#key = key;
      open.set(key, (open.get(key) ?? 0) + 1);
    } catch {
      return undefined; // no WAL yet (a new file's first write): the next write opens it
    }
    return this.#file;
  }
}
