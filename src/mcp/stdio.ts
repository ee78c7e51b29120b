import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { type JSONRPCMessage, JSONRPCMessageSchema } from "@modelcontextprotocol/sdk/types.js";
import type { App } from "../app.ts";
import type { Actor } from "../domain/actor.ts";
import { createMcpServer } from "./server.ts";

export interface LineTransportOptions {
  /** Newline-delimited JSON-RPC in (stdin). */
  input: ReadableStream<Uint8Array>;
  /** Writes one whole framed message (stdout). */
  write(bytes: Uint8Array): Promise<void>;
  /** Diagnostics (stderr). */
  log?(line: string): void;
  /** Longest accepted line in bytes; longer lines are answered with an error and skipped. */
  maxLine?: number;
  /** How long to wait at EOF for answers to requests already received. */
  drainMs?: number;
}

type Id = string | number;
const enc = new TextEncoder();

/**
 * MCP stdio framing: one JSON-RPC message per line. Unlike the SDK's node-stream transport it
 * answers unparsable lines (-32700) and malformed messages (-32600) instead of dropping them,
 * bounds line length, and at EOF answers the requests it already has before closing.
 */
export class LineTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  /** Resolves once the transport has closed (EOF, error, or close()). */
  readonly closed: Promise<void>;
  #resolveClosed!: () => void;
  #reader?: ReadableStreamDefaultReader<Uint8Array>;
  #pending = new Set<Id>();
  #writing: Promise<void> = Promise.resolve();
  #isClosed = false;
  #max: number;

  constructor(private opts: LineTransportOptions) {
    this.#max = opts.maxLine ?? 16 << 20;
    this.closed = new Promise((r) => this.#resolveClosed = r);
  }

  start(): Promise<void> {
    this.#reader = this.opts.input.getReader();
    void this.#readLoop().catch((err) => this.opts.log?.(`read error: ${(err as Error).message}`)).finally(
      () => this.#drainThenClose(),
    );
    return Promise.resolve();
  }

  async #readLoop(): Promise<void> {
    const decoder = new TextDecoder();
    let parts: Uint8Array[] = [];
    let size = 0;
    let skipping = false;
    for (;;) {
      const { value, done } = await this.#reader!.read();
      if (done || this.#isClosed) break;
      let start = 0;
      for (let nl = value.indexOf(10); nl >= 0; nl = value.indexOf(10, start)) {
        if (skipping) {
          // the rest of an oversized line: already answered
        } else if (size + nl - start > this.#max) {
          this.#tooLarge();
        } else {
          parts.push(value.subarray(start, nl));
          this.#line(decoder.decode(concat(parts)));
        }
        parts = [];
        size = 0;
        skipping = false;
        start = nl + 1;
      }
      if (skipping) continue;
      parts.push(value.slice(start));
      size += value.length - start;
      if (size > this.#max) {
        this.#tooLarge();
        parts = [];
        size = 0;
        skipping = true;
      }
    }
    // A last line without a newline still counts.
    if (!skipping && size > 0) this.#line(decoder.decode(concat(parts)));
  }

  #tooLarge(): void {
    this.#reply(null, -32600, `message too large (over ${this.#max} bytes)`);
  }

  #line(raw: string): void {
    const line = raw.trim();
    if (!line) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      this.#reply(null, -32700, "parse error");
      return;
    }
    const parsed = JSONRPCMessageSchema.safeParse(json);
    if (!parsed.success) {
      const id = (json as { id?: unknown } | null)?.id;
      this.#reply(typeof id === "string" || typeof id === "number" ? id : null, -32600, "invalid request");
      return;
    }
    const msg = parsed.data;
    if ("method" in msg && "id" in msg) this.#pending.add(msg.id);
    if ("method" in msg && msg.method === "notifications/cancelled") {
      this.#pending.delete((msg.params as { requestId?: Id } | undefined)?.requestId as Id);
    }
    try {
      this.onmessage?.(msg);
    } catch (err) {
      this.opts.log?.(`error handling message: ${(err as Error).message}`);
    }
  }

  #reply(id: Id | null, code: number, message: string): void {
    void this.send({ jsonrpc: "2.0", id, error: { code, message } } as unknown as JSONRPCMessage);
  }

  send(message: JSONRPCMessage): Promise<void> {
    if ("id" in message && !("method" in message)) this.#pending.delete(message.id as Id);
    const bytes = enc.encode(JSON.stringify(message) + "\n");
    this.#writing = this.#writing.then(() => this.opts.write(bytes)).catch((err) => {
      this.opts.log?.(`write error: ${(err as Error).message}`);
    });
    return this.#writing;
  }

  async #drainThenClose(): Promise<void> {
    const deadline = Date.now() + (this.opts.drainMs ?? 10_000);
    while (this.#pending.size && !this.#isClosed && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
    await this.close();
  }

  async close(): Promise<void> {
    if (this.#isClosed) return;
    this.#isClosed = true;
    await this.#writing;
    this.#reader?.cancel().catch(() => {});
    this.onclose?.();
    this.#resolveClosed();
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) (out.set(p, off), off += p.length);
  return out;
}

export interface ServeOptions extends Omit<LineTransportOptions, "input" | "write"> {
  input?: ReadableStream<Uint8Array>;
  write?(bytes: Uint8Array): Promise<void>;
  clientActor?: boolean;
  signal?: AbortSignal;
}

/** Serves MCP on stdin/stdout until EOF or the signal aborts. */
export async function serveStdio(app: App, actor: Actor, opts: ServeOptions = {}): Promise<void> {
  const server = createMcpServer(app, actor, { clientActor: opts.clientActor });
  const transport = new LineTransport({
    ...opts,
    input: opts.input ?? Deno.stdin.readable,
    write: opts.write ?? writeStdout,
  });
  server.server.onerror = (err: Error) => opts.log?.(`error: ${err.message}`);
  const stop = () => transport.close();
  opts.signal?.addEventListener("abort", stop, { once: true });
  try {
    await server.connect(transport);
    if (opts.signal?.aborted) await stop();
    await transport.closed;
  } finally {
    opts.signal?.removeEventListener("abort", stop);
    await server.close();
  }
}

async function writeStdout(bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await Deno.stdout.write(bytes.subarray(off));
}
