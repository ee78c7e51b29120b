// Live updates: one EventSource on /api/events fanned out to the views that care.
import { createContext } from "preact";
import { useContext, useEffect, useRef } from "preact/hooks";
import { authToken, holdReads } from "./api.ts";
import type { LiveEvent } from "./types.ts";

type Listener = (e: LiveEvent) => void;
type StateListener = (s: LiveState) => void;
export type LiveState = "connecting" | "live" | "offline";

/** How long the first reads wait for the stream to subscribe before going ahead without it. */
const FIRST_WAIT_MS = 2000;

/** Everything changed (used after a reconnect, when events may have been missed). */
export const RESYNC: LiveEvent = {
  id: "",
  entity: "*",
  entity_id: "",
  action: "resync",
  summary: "",
  actor: { kind: "human", name: "" },
  created_at: 0,
};

export class LiveBus {
  private listeners = new Set<Listener>();
  private stateListeners = new Set<StateListener>();
  private source: EventSource | null = null;
  private dropped = false;
  private release = () => {};
  state: LiveState = "connecting";

  /**
   * Opens the stream. Until it is subscribed (or failed, or FIRST_WAIT_MS passed) every GET waits:
   * a page's data is then read after the stream's starting position, and a write in between reaches
   * it as an event. Data read before that (a stream that was late) is read again once it is live.
   */
  connect(): void {
    if (this.source || typeof EventSource === "undefined") return;
    let release = () => {};
    holdReads(new Promise<void>((done) => (release = done)));
    const late = setTimeout(() => {
      this.dropped = true; // the pages read without the stream: resync when it comes
      release();
    }, FIRST_WAIT_MS);
    this.release = () => (clearTimeout(late), release());
    const token = authToken();
    const src = new EventSource(`/api/events${token ? `?token=${encodeURIComponent(token)}` : ""}`);
    const onData = (m: MessageEvent) => {
      try {
        this.emit(JSON.parse(m.data) as LiveEvent);
      } catch {
        // a keep-alive or a payload we do not understand: nothing to refresh
      }
    };
    src.onmessage = onData;
    src.addEventListener("activity", onData as EventListener);
    // Live once the server says `ready`: it has subscribed this stream by then. The connection being
    // open (onopen, the headers) comes first, and a write in between would be shown as live but missed.
    src.addEventListener("ready", () => {
      this.release();
      this.setState("live");
      if (this.dropped) this.emit(RESYNC);
      this.dropped = false;
    });
    src.onerror = () => {
      this.release();
      this.dropped = true;
      this.setState(src.readyState === EventSource.CLOSED ? "offline" : "connecting");
    };
    this.source = src;
  }

  close(): void {
    this.release();
    this.source?.close();
    this.source = null;
  }

  emit(e: LiveEvent): void {
    for (const l of this.listeners) l(e);
  }

  on(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  onState(l: StateListener): () => void {
    this.stateListeners.add(l);
    return () => this.stateListeners.delete(l);
  }

  private setState(s: LiveState): void {
    this.state = s;
    for (const l of this.stateListeners) l(s);
  }
}

export const LiveContext = createContext<LiveBus>(new LiveBus());

/**
 * Calls `refresh` (coalesced over 150 ms) when an event for one of `entities` arrives.
 * `entities` may include "*" to react to everything.
 */
export function useLive(entities: string[], refresh: (e: LiveEvent) => void): void {
  const bus = useContext(LiveContext);
  const fn = useRef(refresh);
  fn.current = refresh;
  const key = entities.join(",");
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last: LiveEvent | null = null;
    const off = bus.on((e) => {
      if (e.entity !== "*" && !key.split(",").includes(e.entity) && !key.includes("*")) return;
      last = e;
      clearTimeout(timer);
      timer = setTimeout(() => last && fn.current(last), 150);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [bus, key]);
}
