import assert from "node:assert/strict";
import type { z } from "zod";
import { seeded } from "./client.ts";
import { session } from "../mcp/mcp_client.ts";
import { workspace } from "../helpers/cli.ts";
import type { Actor } from "../../src/domain/actor.ts";
import { AppError, type MessageField, orList } from "../../src/domain/errors.ts";
import {
  ActivityQuerySchema,
  AttachmentInputSchema,
  AttachmentQuerySchema,
  ClaimInputSchema,
  DocUpdateSchema,
  PlanUpdateSchema,
  ReleaseInputSchema,
  ReportQuerySchema,
} from "../../src/domain/schemas.ts";
import { CLI_HINTS } from "../../src/cli/hints.ts";
import { HTTP_HINTS } from "../../src/http/hints.ts";
import { MCP_HINTS } from "../../src/mcp/hints.ts";
import { loadRoot } from "../../src/cli/registry.ts";
import { allFlags, parseArgv } from "../../src/cli/parse.ts";

// A service's message names request fields as the operation's schema does; each surface words them
// (src/domain/errors.ts `Message`): HTTP and MCP say `lease`, the CLI still says `--lease`.

const holder: Actor = { kind: "ai", name: "holder" };
const other = { "X-Backlog-Actor": "ai:other" };
/** A lease so long it is not a finite number of nanoseconds. */
const ENDLESS = `1${"0".repeat(400)}d`;

/** Neither a CLI flag nor a `backlog` command. */
function notCli(text: string | undefined): string {
  assert.ok(text, "a message");
  assert.doesNotMatch(text, /(^|[\s`(])--[a-z]/, `a flag in: ${text}`);
  assert.doesNotMatch(text, /\bbacklog [a-z]/, `a command in: ${text}`);
  return text;
}

/** The messages as HTTP and MCP word them (the schema's field names). */
const SAID = {
  force: "force: only a human may release another actor's claim",
  endless: "lease: must be a positive duration",
  long: "lease: 8.0d is longer than the maximum of 7d",
  nothing: "nothing to change (give title, body or change_note)",
  either: "give either task or doc, not both",
};

/** Projects api and web; TASK-1 claimed by ai:holder; a doc with a plan-less task TASK-2 and a plan on it. */
async function setup() {
  const t = await seeded();
  for (const title of ["held", "free"]) await t.post("/api/tasks", { project: "api", title });
  await t.app.claims.claim("TASK-1", {}, holder);
  const doc = (await t.post("/api/docs", { project: "api", title: "Doc" })).json.id as string;
  const plan = (await t.post("/api/tasks/2/plans", { title: "Plan", body: "step" })).json.id as string;
  return { t, doc, plan };
}

Deno.test("HTTP messages name body, query and form fields, never CLI flags", async () => {
  const { t, doc, plan } = await setup();
  try {
    const said = async (r: Promise<{ status: number; json: { error: string } }>, status = 400) => {
      const { status: got, json } = await r;
      assert.equal(got, status, json.error);
      return notCli(json.error);
    };
    assert.equal(await said(t.post("/api/tasks/1/release", { force: true }, other)), SAID.force);
    assert.equal(await said(t.post("/api/tasks/2/claim", { lease: "8d" })), SAID.long);
    assert.equal(await said(t.post("/api/tasks/2/claim", { lease: ENDLESS })), SAID.endless);
    assert.equal(await said(t.patch(`/api/docs/${doc}`, {})), SAID.nothing);
    assert.equal(await said(t.patch(`/api/plans/${plan}`, {})), SAID.nothing);
    const f = new FormData();
    f.set("task", "TASK-2");
    f.set("doc", doc);
    f.set("file", new File(["x"], "a.txt"));
    assert.equal(await said(t.post("/api/attachments", f)), SAID.either);
    assert.equal(await said(t.get(`/api/attachments?task=TASK-2&doc=${doc}`)), SAID.either);
  } finally {
    await t.close();
  }
});

Deno.test("MCP messages name tool arguments, never CLI flags", async () => {
  const { t, doc, plan } = await setup();
  const s = await session({ app: t.app });
  try {
    const said = async (tool: string, args: Record<string, unknown>) => {
      const text = await s.err(tool, args);
      const m = text.match(/^error \((invalid|usage)\): (.*)$/m);
      assert.ok(m, text);
      return notCli(m[2]);
    };
    assert.equal(await said("task_claim", { id: "TASK-1", release: true, force: true }), SAID.force);
    assert.equal(await said("task_claim", { id: "TASK-2", lease: "8d" }), SAID.long);
    assert.equal(await said("task_claim", { lease: ENDLESS }), SAID.endless);
    assert.equal(await said("doc_update", { id: doc }), SAID.nothing);
    assert.equal(await said("plan_update", { plan_id: plan }), SAID.nothing);
    const r = await s.call("plan_update", { plan_id: plan });
    assert.equal((r.structuredContent as { error: { message: string } }).error.message, SAID.nothing);
  } finally {
    await s.close();
    await t.close();
  }
});

Deno.test("the CLI's messages still name its flags", async () => {
  const w = await workspace();
  try {
    const said = async (argv: string[]) => {
      const r = await w.run(argv);
      assert.equal(r.code, 2, r.stderr);
      return r.stderr;
    };
    await w.run(["project", "add", "API", "--alias", "api"]);
    for (const title of ["held", "free"]) await w.run(["task", "add", "-t", title, "-p", "api"]);
    await w.run(["task", "claim", "TASK-1", "--as", "ai:holder"]);
    const doc = (await w.json<{ id: string }>(["doc", "add", "-p", "api", "--title", "Doc"])).id;
    const plan =
      (await w.json<{ id: string }>(["plan", "add", "--task", "2", "--title", "P", "--content", "s"])).id;
    await Deno.writeTextFile(`${w.home}/a.txt`, "x");
    assert.equal(
      await said(["task", "release", "TASK-1", "--force", "--as", "ai:other"]),
      "error: --force: only a human may release another actor's claim\n" +
        "hint: agents wait for the lease to expire, then claim\n",
    );
    assert.equal(
      await said(["task", "claim", "TASK-2", "--lease", "8d"]),
      "error: --lease: 8.0d is longer than the maximum of 7d\nhint: renew the claim instead\n",
    );
    assert.equal(
      await said(["task", "claim", "TASK-2", "--lease", "8d", "--json"]),
      JSON.stringify({
        error: {
          code: "invalid",
          message: "--lease: 8.0d is longer than the maximum of 7d",
          hint: "renew the claim instead",
        },
      }) + "\n",
    );
    assert.equal(
      await said(["task", "claim", "TASK-2", "--lease", ENDLESS]),
      "error: --lease: must be a positive duration\n",
    );
    const nothing = "error: nothing to change (give --title, --content, --from-file or --change-note)\n";
    assert.equal(await said(["doc", "update", doc]), nothing);
    assert.equal(await said(["plan", "update", plan]), nothing);
    const either = "error: give either --task or --doc, not both\n";
    assert.equal(await said(["attachment", "add", "a.txt", "--task", "2", "--doc", doc]), either);
    assert.equal(await said(["attachment", "list", "--task", "2", "--doc", doc]), either);
    assert.equal(await said(["attachment", "add", "a.txt"]), "error: an attachment needs --task or --doc\n");
  } finally {
    await w.cleanup();
  }
});

Deno.test("a worded message is the schema's words in AppError.message, and each surface's in messageIn", () => {
  assert.deepEqual(["", "a", "a or b", "a, b or c"], [[], ["a"], ["a", "b"], ["a", "b", "c"]].map(orList));
  const e = new AppError("invalid", (w) => `${w.field("body", "doc")}: no`);
  assert.equal(e.message, "body or doc: no");
  assert.equal(e.messageIn(CLI_HINTS), "--content, --from-file or --doc: no");
  assert.equal(e.messageIn(HTTP_HINTS), "body or doc: no");
  assert.equal(e.messageIn(MCP_HINTS), "body or doc: no");
  assert.equal(new AppError("invalid", "plain").messageIn(CLI_HINTS), "plain");
});

/** Where each message field is sent: CLI commands, HTTP schemas, MCP tools. */
const versioned = {
  cli: [["doc", "update"], ["plan", "update"]],
  http: [DocUpdateSchema, PlanUpdateSchema],
  mcp: ["doc_update", "plan_update"],
};
const attached = {
  cli: [["attachment", "add"], ["attachment", "list"]],
  http: [AttachmentInputSchema, AttachmentQuerySchema],
  mcp: [],
};
const FIELD_AT: Record<MessageField, { cli: string[][]; http: z.ZodObject[]; mcp: string[] }> = {
  lease: {
    cli: [["task", "claim"], ["task", "next"], ["task", "renew"]],
    http: [ClaimInputSchema],
    mcp: ["task_claim"],
  },
  force: { cli: [["task", "release"]], http: [ReleaseInputSchema], mcp: ["task_claim"] },
  title: versioned,
  body: versioned,
  change_note: versioned,
  task: attached,
  doc: attached,
  since: {
    cli: [["activity"], ["report"], ["activity", "analyze"]],
    http: [ActivityQuerySchema, ReportQuerySchema],
    mcp: ["activity_list"],
  },
};

Deno.test("every surface's message words name flags, fields and arguments that exist", async () => {
  const root = await loadRoot();
  const flagsOf = (words: string[]) => allFlags(parseArgv(root, [...words, "--help"]).cmd);
  const t = await seeded();
  const s = await session({ app: t.app });
  try {
    const { tools } = await s.client.listTools();
    type Tool = { name: string; inputSchema: { properties?: Record<string, unknown> } };
    const args = new Map((tools as Tool[]).map((x) => [x.name, Object.keys(x.inputSchema.properties ?? {})]));
    for (const [field, at] of Object.entries(FIELD_AT) as [MessageField, typeof FIELD_AT.lease][]) {
      const flags = CLI_HINTS.field(field).split(/, | or /);
      for (const cmd of at.cli) {
        for (const flag of flags) assert.ok(flag.slice(2) in flagsOf(cmd), `${cmd.join(" ")} ${flag}`);
      }
      assert.equal(HTTP_HINTS.field(field), field);
      assert.equal(MCP_HINTS.field(field), field);
      for (const schema of at.http) assert.ok(field in schema.shape, `${schema.description}: ${field}`);
      for (const tool of at.mcp) assert.ok(args.get(tool)?.includes(field), `${tool} takes ${field}`);
    }
  } finally {
    await s.close();
    await t.close();
  }
});
