import { defineCommand } from "../spec.ts";
import type { App } from "../../app.ts";
import type { ChangeEvent } from "../../services/events.ts";
import { formatActor } from "../../domain/actor.ts";
import { nsToDate } from "../../domain/time.ts";
import { escapeControls } from "../../domain/text.ts";
import { toAppError } from "../../domain/errors.ts";
import type { Io } from "../spec.ts";

const pad = (n: number) => String(n).padStart(2, "0");

/** `15:04:05  [api] human:alice  task created  Created task "x" (TASK-1)` (local time). */
async function line(e: ChangeEvent, alias: (id: string | undefined) => Promise<string>): Promise<string> {
  const d = nsToDate(e.created_at);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const p = await alias(e.project_id);
  return escapeControls(
    `${time}  ${p ? `[${p}] ` : ""}${formatActor(e.actor)}  ${e.entity} ${e.action}  ${e.summary}`,
  );
}

/** Project aliases by id, looked up once each (a deleted project shows its short id). */
function aliases(app: App): (id: string | undefined) => Promise<string> {
  const cache = new Map<string, string>();
  return async (id) => {
    if (!id) return "";
    let a = cache.get(id);
    if (a === undefined) {
      try {
        a = (await app.projects.get(id)).alias;
      } catch {
        a = id.slice(0, 8);
      }
      cache.set(id, a);
    }
    return a;
  };
}

/**
 * One stderr line when reading the log starts failing (naming why: the store's messages never hold a
 * password) and one when it works again; stdout (the events) is untouched.
 */
export function healthLines(io: Io) {
  return {
    failing(err: unknown) {
      const why = toAppError(err).message.split("\n")[0];
      io.stderr(`warning: cannot read the activity log, retrying: ${escapeControls(why)}\n`);
    },
    recovered() {
      io.stderr("note: the activity log is readable again; catching up\n");
    },
  };
}

export const watchCommand = defineCommand({
  name: "watch",
  db: "read",
  summary: "Stream every write to the workspace as it happens",
  description: "Prints one line per write made by any process (CLI, MCP, web) within a second, until " +
    "Ctrl+C. With --json, one JSON object (the activity row plus its log position `seq`) per line. " +
    "Streams every project unless --project is given. While the database cannot be read, one " +
    "`warning:` line on stderr says why (and a `note:` when it can again: missed writes then follow).",
  flags: {
    project: { type: "string", short: "p", desc: "only this project's writes", value: "<alias>" },
  },
  examples: ["backlog watch", "backlog watch --json -p api | jq .summary"],
  async run(ctx) {
    const app = ctx.app();
    const project = ctx.given("project") ? String(ctx.flags.project ?? "").trim() : "";
    const projectId = project ? (await app.projects.get(project)).id : undefined;
    const { ChangeFeed, changes } = await import("../../services/events.ts");
    const feed = new ChangeFeed(app.db, { health: healthLines(ctx.io) });
    const alias = aliases(app);
    if (!ctx.json && !ctx.quiet) ctx.io.stderr(`watching ${project || "all projects"} (Ctrl+C to stop)\n`);
    for await (const e of changes(feed, { signal: ctx.io.signal, projectId })) {
      ctx.io.stdout(ctx.json ? JSON.stringify(e) + "\n" : await line(e, alias) + "\n");
    }
    feed.close();
    return {};
  },
});
