import { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult, Tool, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { App } from "../app.ts";
import type { Actor } from "../domain/actor.ts";
import { fail } from "./result.ts";
import { extraKeys, unknownKeys } from "../domain/unknown_keys.ts";
import { toolInputSchema } from "./schema.ts";

/**
 * Annotations. Hints equal to the protocol's defaults (readOnlyHint false, destructiveHint true,
 * idempotentHint false) are left out of writes that share them, to keep tools/list small; the
 * meaning is the same.
 */
export const READ: ToolAnnotations = { readOnlyHint: true };
/** Adds rows (a task, a comment, a version) or takes a claim; nothing is lost, but twice is not once. */
export const ADD: ToolAnnotations = { destructiveHint: false };
/** Overwrites fields with the given values; repeating it changes nothing more. */
export const SET: ToolAnnotations = { idempotentHint: true };
/** May overwrite or delete (replace a body, delete an entry); not safe to repeat blindly. */
export const DESTROY: ToolAnnotations = { destructiveHint: true };
/** Changes state without losing data (a status move, a claim); repeating it changes nothing more. */
export const MOVE: ToolAnnotations = { destructiveHint: false, idempotentHint: true };

export interface ToolSpec<S extends z.ZodRawShape> {
  title: string;
  description: string;
  /** The arguments: fields of the domain's operation schemas (domain/schemas.ts), so every rule is theirs. */
  input: S;
  hints: ToolAnnotations;
  run(args: z.infer<z.ZodObject<S>>, actor: Actor): CallToolResult | Promise<CallToolResult>;
}

/** What every register function receives. */
export interface Kit {
  app: App;
  tool<S extends z.ZodRawShape>(name: string, spec: ToolSpec<S>): void;
}

/** What one tool costs to prepare once: its tools/list entry, the schema the SDK validates with, its keys. */
interface Prepared {
  def: Tool;
  /** What the SDK validates: any object (the wrapper checks keys, then `strict`). */
  schema: z.ZodObject;
  /** The real shape, checked after unknown keys are refused. */
  strict: z.ZodObject;
  keys: string[];
}

/**
 * Prepared tools per app and name: the definitions do not depend on the request, and the
 * stateless HTTP transport builds a server per request (z.toJSONSchema for every tool each time).
 */
const prepared = new WeakMap<App, Map<string, Prepared>>();

function prepare<S extends z.ZodRawShape>(app: App, name: string, spec: ToolSpec<S>): Prepared {
  let byName = prepared.get(app);
  if (!byName) prepared.set(app, byName = new Map());
  let p = byName.get(name);
  if (!p) {
    p = {
      def: {
        name,
        title: spec.title,
        description: spec.description,
        // The domain shape the tool parses with, advertised compactly (no `additionalProperties`:
        // unknown keys are refused by name below).
        inputSchema: toolInputSchema(spec.input),
        annotations: spec.hints,
      },
      // Any object for the SDK, so unknown keys reach the wrapper, which refuses them by name before
      // checking the real shape (a misspelt required key is then named, not "missing"), and the
      // domain's field rules fail as the tool's own isError, not as a protocol error.
      schema: z.looseObject({}),
      strict: z.object(spec.input),
      keys: Object.keys(spec.input),
    };
    byName.set(name, p);
  }
  return p;
}

/**
 * Registers tools on an McpServer, wrapping each handler so unknown argument names and a thrown
 * AppError become `isError` results, and remembers the definitions so tools/list can be rendered
 * compactly.
 */
export function makeKit(app: App, server: McpServer, actor: () => Actor): Kit & { list(): Tool[] } {
  const defs: Tool[] = [];
  return {
    app,
    tool(name, spec) {
      const { def, schema, strict, keys } = prepare(app, name, spec);
      defs.push(def);
      server.registerTool(name, {
        title: spec.title,
        description: spec.description,
        inputSchema: schema,
        annotations: spec.hints,
      }, async (args: unknown) => {
        try {
          const extra = extraKeys(args, keys);
          if (extra.length) throw unknownKeys(extra, keys);
          return await spec.run(strict.parse(args) as z.infer<z.ZodObject<typeof spec.input>>, actor());
        } catch (err) {
          return fail(err);
        }
      });
    },
    list: () => defs,
  };
}
