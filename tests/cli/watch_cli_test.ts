import assert from "node:assert/strict";
import { watchCommand } from "../../src/cli/commands/watch.ts";
import type { Io } from "../../src/cli/spec.ts";
import type { App } from "../../src/app.ts";
import type { Store } from "../../src/db/store.ts";
import { AppError } from "../../src/domain/errors.ts";
import { alice, openTestApp, within } from "../helpers/app.ts";

// Stopping a database under a test is slow and racy; a switch on the store the watcher reads through
// fails its statements the way an unreachable server does, on either engine.

const UNREACHABLE = "cannot reach postgres bob@db.example.com:5432/team: connect ECONNREFUSED 10.0.0.9:5432";

/** The app with its store behind a switch: while `sw.down`, every statement fails (and is counted). */
function flaky(app: App, sw: { down: boolean }) {
  const state = { refused: 0 };
  const failing = new Set<PropertyKey>(["all", "get", "run", "exec"]);
  const db = new Proxy(app.db, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (typeof v !== "function") return v;
      if (!failing.has(prop)) return v.bind(target);
      return (...args: unknown[]) => {
        if (!sw.down) return v.apply(target, args);
        state.refused++;
        return Promise.reject(new AppError("internal", UNREACHABLE, { hint: "is the server running?" }));
      };
    },
  }) as Store;
  const wrapped = new Proxy(app, { get: (t, p) => p === "db" ? db : Reflect.get(t, p, t) });
  return { app: wrapped, state };
}

/** `backlog watch` (with --json or not) on `app`, its output captured, until stop(). */
function watch(app: App, json: boolean) {
  const out = { stdout: "", stderr: "" };
  const ac = new AbortController();
  const io = {
    stdout: (s: string) => void (out.stdout += s),
    stderr: (s: string) => void (out.stderr += s),
    signal: ac.signal,
  } as Io;
  const ctx = { app: () => app, io, json, quiet: false, flags: {}, given: () => false };
  const done = Promise.resolve(watchCommand.run!(ctx as never));
  return {
    out,
    async stop() {
      ac.abort();
      await within(done, 5000, "watch to stop");
    },
  };
}

/** Waits (bounded) until `ok()` holds. */
async function until(ok: () => boolean, what: string): Promise<void> {
  await within(
    (async () => {
      while (!ok()) await new Promise((r) => setTimeout(r, 20));
    })(),
    15_000,
    what,
  );
}

const lines = (s: string, re: RegExp) => s.split("\n").filter((l) => re.test(l));

Deno.test("watch says once on stderr that it cannot read the database, once that it can again, and catches up", async () => {
  const real = await openTestApp();
  const sw = { down: false };
  const [a, b] = [flaky(real, sw), flaky(real, sw)];
  const human = watch(a.app, false);
  const json = watch(b.app, true);
  try {
    await real.projects.create({ alias: "api", name: "API" }, alice);
    const title = (t: string) => (s: string) => s.includes(t);
    // Both watchers are reading once each has printed a write (they subscribe as they start).
    const writes: Promise<unknown>[] = [];
    let looks = 0;
    await until(() => {
      if (looks++ % 10 === 0) {
        writes.push(real.tasks.create({ project: "api", title: `before ${writes.length}` }, alice));
      }
      return [human, json].every((w) => w.out.stdout.includes("before "));
    }, "the first event");
    await Promise.all(writes);

    sw.down = true;
    // A watcher's reads run one at a time: once one failed, none from before is still under way.
    await until(() => a.state.refused >= 1 && b.state.refused >= 1, "reads to fail");
    await real.tasks.create({ project: "api", title: "while down" }, alice);
    // Several failed reads (ticks) of each watcher: the warning is still printed once.
    await until(() => a.state.refused >= 3 && b.state.refused >= 3, "more reads to fail");
    for (const w of [human, json]) {
      assert.deepEqual(lines(w.out.stderr, /^(warning|note):/), [
        `warning: cannot read the activity log, retrying: ${UNREACHABLE}`,
      ]);
      assert.ok(!title("while down")(w.out.stdout));
    }

    sw.down = false;
    await until(
      () => [human, json].every((w) => title("while down")(w.out.stdout) && w.out.stderr.includes("note:")),
      "the catch-up",
    );
    for (const w of [human, json]) {
      assert.deepEqual(lines(w.out.stderr, /^(warning|note):/), [
        `warning: cannot read the activity log, retrying: ${UNREACHABLE}`,
        "note: the activity log is readable again; catching up",
      ]);
    }
    // stdout holds the events only, as ever: lines, or one JSON object a line.
    const events = human.out.stdout.trimEnd().split("\n");
    assert.ok(events.every((l) => /^\d\d:\d\d:\d\d {2}/.test(l)), human.out.stdout);
    assert.ok(events.some((l) => /\[api\] human:alice {2}task created {2}Created task "while down"/.test(l)));
    const objects = json.out.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(objects.filter((e) => e.summary.includes("while down")).map((e) => e.action), [
      "created",
    ]);
    assert.match(human.out.stderr, /^watching all projects \(Ctrl\+C to stop\)\n/);
    assert.ok(!json.out.stderr.includes("watching"), "--json keeps its stderr for problems");
  } finally {
    sw.down = false;
    await human.stop();
    await json.stop();
    await real.close();
  }
});
