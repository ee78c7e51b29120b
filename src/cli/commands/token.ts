import { type CommandSpec, defineCommand } from "../spec.ts";
import { table } from "../format.ts";
import { pageNote } from "../views.ts";
import { commandResult, DEFAULT_PAGE, pageFlags } from "./num_flags.ts";
import { parseFlags } from "./op_flags.ts";
import { formatLocal } from "../../domain/time.ts";
import { shortId } from "../../domain/refs.ts";
import type { ApiToken } from "../../domain/api_tokens.ts";

const when = (ns: number | null, none: string) => ns === null ? none : formatLocal(ns);

function tokenTable(tokens: ApiToken[]): string {
  return table(
    ["id", "actor", "name", "created", "created by", "last used", "revoked"],
    // Whole ids: tokens made in one script share their first characters, and a revoke must be exact.
    tokens.map((t) => [
      t.id,
      t.actor,
      t.name,
      formatLocal(t.created_at),
      t.created_by,
      when(t.last_used_at, "never"),
      when(t.revoked_at, ""),
    ]),
  );
}

export const tokenCommand: CommandSpec = {
  name: "token",
  summary: "Tokens bound to an actor, for `backlog web` (create, list, revoke)",
  description: "Tokens bound to an actor.\n\n" +
    "A request to `backlog web` (HTTP API, or MCP at /mcp) that sends `Authorization: Bearer <token>`\n" +
    "is signed by the token's actor; an X-Backlog-Actor naming someone else is refused (403). Tokens\n" +
    "live in the database: every server on it honours them, and a revoke holds everywhere from the\n" +
    "next request. Only the SHA-256 of a token is stored; create prints the secret once. Whoever can\n" +
    "open the database administers tokens.",
  subcommands: [
    defineCommand({
      name: "create",
      summary: "Create a token for an actor; prints its secret once",
      flags: {
        actor: {
          type: "string",
          desc: "who the token signs as: human:<name> or ai:<name>",
          value: "<kind:name>",
          required: true,
        },
        name: { type: "string", desc: "what the token is for (e.g. laptop agent)", value: "<text>" },
      },
      examples: [
        'backlog token create --actor ai:claude --name "laptop agent"',
        "BACKLOG_TOKEN=$(backlog token create --actor ai:codex -q)",
      ],
      async run(ctx) {
        const input = parseFlags(ctx, "token_create", { actor: "actor", name: "name" });
        const { token, secret } = await ctx.app().tokens.create(input, ctx.actor());
        return {
          data: { ...token, secret },
          text: secret,
          ok: `token ${token.id} created for ${token.actor}: the secret above is shown only this once`,
          // --quiet prints the secret alone (the id is in `token list`): it cannot be read back later.
          written: secret,
        };
      },
    }),
    defineCommand({
      name: "list",
      db: "read",
      summary: "Tokens, oldest first, revoked ones too (never their secrets)",
      flags: pageFlags(),
      async run(ctx) {
        const q = parseFlags(ctx, "token_query", { limit: "limit", offset: "offset" });
        const r = await ctx.app().tokens.list({ ...q, limit: q.limit ?? DEFAULT_PAGE });
        if (!r.tokens.length) return { data: r, text: "no tokens" };
        const note = pageNote(r.tokens.length, r.page.total, r.page.offset);
        return { data: r, text: [tokenTable(r.tokens), note].filter(Boolean).join("\n") };
      },
    }),
    defineCommand({
      name: "revoke",
      summary: "Revoke a token: every server refuses it from the next request on",
      args: [{ name: "id", required: true }],
      examples: ["backlog token revoke 01KABCDE"],
      async run(ctx) {
        const { token, revoked } = await ctx.app().tokens.revoke(ctx.args[0], ctx.actor());
        const what = `token ${token.id} of ${token.actor}`;
        const message = revoked ? `${what} revoked` : `${what} was already revoked`;
        return commandResult("revoke", "token", token.id, shortId(token.id), message);
      },
    }),
  ],
};
