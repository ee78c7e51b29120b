import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import {
  ErrorCode,
  ListResourcesRequestSchema,
  McpError,
  type Resource,
} from "@modelcontextprotocol/sdk/types.js";
import type { Variables } from "@modelcontextprotocol/sdk/shared/uriTemplate.js";
import type { App } from "../app.ts";
import { toAppError } from "../domain/errors.ts";
import { contextText, docHead, planText, when } from "./render.ts";
import { formatActor } from "../domain/actor.ts";

/** Resources per resources/list page. */
export const RESOURCE_PAGE = 50;
/** Longest text one resource read returns (characters); longer bodies are cut with a note. */
export const RESOURCE_MAX = 16_000;
const MEMORY_ENTRIES = 20;

type Kind = {
  /** A page of resources of this kind from `offset`, and how many there are. */
  page(offset: number, limit: number): Promise<{ items: Resource[]; total: number }>;
};

/** What resources/list walks, in this order: project memory, tasks, plans, docs. */
function kinds(app: App): Kind[] {
  return [
    {
      async page(offset, limit) {
        const all = await app.projects.list();
        const items = all.slice(offset, offset + limit).map((p) => ({
          uri: `backlog://memory/${p.alias}`,
          name: `memory of ${p.alias}`,
          title: `Project memory: ${p.name}`,
          mimeType: "text/plain",
        }));
        return { items, total: all.length };
      },
    },
    {
      async page(offset, limit) {
        const { tasks, page } = await app.tasks.list({ sort: "updated", order: "desc", limit, offset });
        const items = tasks.map((t) => ({
          uri: `backlog://task/${t.ref}`,
          name: t.ref,
          title: `${t.ref} ${t.title}`,
          description: `${t.status} P${t.priority} ${t.type}`,
          mimeType: "text/plain",
        }));
        return { items, total: page.total };
      },
    },
    {
      async page(offset, limit) {
        const { plans, page } = await app.plans.index({ limit, offset });
        const items = plans.map((p) => ({
          uri: `backlog://plan/${p.id}`,
          name: `plan ${p.id}`,
          title: `TASK-${p.task_seq} plan: ${p.version?.title ?? ""}`,
          mimeType: "text/markdown",
        }));
        return { items, total: page.total };
      },
    },
    {
      async page(offset, limit) {
        const { docs, page } = await app.docs.list({ limit, offset });
        const items = docs.map((d) => ({
          uri: `backlog://doc/${d.id}`,
          name: `doc ${d.id}`,
          title: d.title,
          mimeType: "text/markdown",
        }));
        return { items, total: page.total };
      },
    },
  ];
}

const encode = (k: number, o: number) => btoa(JSON.stringify([k, o]));

function decode(cursor: string | undefined, n: number): [number, number] {
  if (cursor === undefined) return [0, 0];
  try {
    const [k, o] = JSON.parse(atob(cursor));
    if (Number.isInteger(k) && Number.isInteger(o) && k >= 0 && k < n && o >= 0) return [k, o];
  } catch { /* fall through */ }
  throw new McpError(ErrorCode.InvalidParams, `invalid cursor "${cursor}" (pass nextCursor back unchanged)`);
}

/** One page of every resource, at most RESOURCE_PAGE, with a cursor to the next page. */
export async function listResources(
  app: App,
  cursor?: string,
): Promise<{ resources: Resource[]; nextCursor?: string }> {
  const all = kinds(app);
  let [k, offset] = decode(cursor, all.length);
  const resources: Resource[] = [];
  while (k < all.length && resources.length < RESOURCE_PAGE) {
    const { items, total } = await all[k].page(offset, RESOURCE_PAGE - resources.length);
    resources.push(...items);
    offset += items.length;
    if (!items.length || offset >= total) [k, offset] = [k + 1, 0];
  }
  return k < all.length ? { resources, nextCursor: encode(k, offset) } : { resources };
}

const cut = (s: string) =>
  s.length <= RESOURCE_MAX
    ? s
    : `${s.slice(0, RESOURCE_MAX)}\n… [${s.length - RESOURCE_MAX} more characters cut]`;

/** A read: one text content; a Backlog error becomes a protocol error naming what is wrong. */
async function read(uri: URL, mimeType: string, text: () => Promise<string>) {
  try {
    return { contents: [{ uri: uri.toString(), mimeType, text: cut(await text()) }] };
  } catch (err) {
    const e = toAppError(err);
    throw new McpError(e.code === "internal" ? ErrorCode.InternalError : ErrorCode.InvalidParams, e.message);
  }
}

const one = (v: string | string[]) => decodeURIComponent(Array.isArray(v) ? v[0] : v);

/**
 * Tasks (their bounded context), plans, docs and project memory as MCP resources
 * (`backlog://task/TASK-12`, `backlog://plan/<id>`, `backlog://doc/<id>`, `backlog://memory/<alias>`):
 * templates for reading, and our own resources/list, paged with cursors.
 */
export function registerResources(app: App, server: McpServer): void {
  const template = (uri: string) => new ResourceTemplate(uri, { list: undefined });
  server.registerResource(
    "task",
    template("backlog://task/{ref}"),
    {
      title: "Task context",
      description: "A task with deps, current plan, recent comments, memory and runs (bounded).",
      mimeType: "text/plain",
    },
    (uri: URL, v: Variables) =>
      read(uri, "text/plain", async () => contextText(await app.tasks.context(one(v.ref)))),
  );
  server.registerResource(
    "plan",
    template("backlog://plan/{id}"),
    {
      title: "Plan",
      description: "A task's plan, current version.",
      mimeType: "text/markdown",
    },
    (uri: URL, v: Variables) =>
      read(uri, "text/markdown", async () => planText(await app.plans.get(one(v.id)))),
  );
  server.registerResource("doc", template("backlog://doc/{id}"), {
    title: "Doc",
    description: "A project doc, current version.",
    mimeType: "text/markdown",
  }, (uri: URL, v: Variables) =>
    read(uri, "text/markdown", async () => {
      const d = await app.docs.show(one(v.id));
      return `${docHead(d)}\n\n${d.version!.body}`;
    }));
  server.registerResource("memory", template("backlog://memory/{alias}"), {
    title: "Project memory",
    description: `A project's newest ${MEMORY_ENTRIES} memory entries.`,
    mimeType: "text/plain",
  }, (uri: URL, v: Variables) => read(uri, "text/plain", async () => await memoryText(app, one(v.alias))));
  server.server.setRequestHandler(
    ListResourcesRequestSchema,
    async (req: { params?: { cursor?: string } }) => await listResources(app, req.params?.cursor),
  );
  server.server.registerCapabilities({ resources: { listChanged: false } });
}

async function memoryText(app: App, alias: string): Promise<string> {
  const { entries, page } = await app.memory.list({ project: alias, limit: MEMORY_ENTRIES });
  const head = `project memory of ${alias} (${entries.length} of ${page.total}, newest first):`;
  const lines = entries.map((m) =>
    `- ${m.id} ${when(m.created_at)} ${formatActor(m.actor)}${m.tags ? ` [${m.tags}]` : ""}: ${
      m.body.length > 800 ? `${m.body.slice(0, 800)}…` : m.body
    }`
  );
  return [head, ...lines].join("\n");
}
