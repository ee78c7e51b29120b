import { Worker } from "node:worker_threads";

/**
 * A background checkpointer for one SQLite file: a worker thread with its own connection copying
 * committed WAL frames into the database (`PRAGMA wal_checkpoint(PASSIVE)`: it takes no lock a writer
 * waits for) whenever it is poked. The writing connection keeps its own autocheckpoint, which then
 * finds only the frames written since the worker's last pass (a few milliseconds' worth, not a
 * ~40 MB copy and fsync every few hundred commits), finishes the checkpoint and lets the WAL restart
 * from its beginning. Crash safety is SQLite's own: a checkpoint from any connection is the same
 * checkpoint. Loaded when a long-lived store opens (src/db/connection.ts); a worker that fails to
 * start or dies leaves the connection checkpointing alone, as before.
 */
export class Checkpointer {
  #worker: Worker;
  #closed: Promise<void>;
  #alive = true;

  constructor(path: string) {
    this.#worker = new Worker(WORKER, { eval: true, workerData: { path } });
    this.#worker.unref(); // never keeps a process alive
    this.#closed = new Promise((resolve) => {
      this.#worker.on("message", (m) => m === "closed" && resolve());
      this.#worker.once("exit", () => resolve());
    });
    this.#worker.on("error", () => this.#alive = false);
    this.#worker.once("exit", () => this.#alive = false);
  }

  /** Asks for a pass (the worker runs them one after another; a pass with nothing to copy is cheap). */
  poke(): void {
    if (this.#alive) this.#worker.postMessage("pass");
  }

  /**
   * Closes the worker's connection (waiting at most 2 s for a pass in progress to end) and ends the
   * thread.
   */
  async close(): Promise<void> {
    if (this.#alive) {
      this.#alive = false;
      this.#worker.postMessage("close");
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<void>((resolve) => timer = setTimeout(resolve, 2000));
      try {
        await Promise.race([this.#closed, late]);
      } finally {
        clearTimeout(timer);
      }
    }
    await this.#worker.terminate();
  }
}

/** The worker's code (CommonJS, evaluated: no module file to resolve or bundle). */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { DatabaseSync } = require("node:sqlite");
let db = new DatabaseSync(workerData.path);
db.exec("PRAGMA busy_timeout = 0");
const pass = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
parentPort.on("message", (m) => {
  if (!db) return;
  if (m === "close") {
    db.close();
    db = undefined;
    parentPort.postMessage("closed");
    return;
  }
  try {
    pass.all();
  } catch {
    // busy (another checkpoint is running): the next poke tries again
  }
});
`;
