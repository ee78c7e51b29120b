import type { z } from "zod";
import type { ServiceContext } from "./context.ts";
import type { TxOptions } from "../db/store.ts";
import type { TokenCreateSchema } from "../domain/schemas.ts";
import { record } from "./context.ts";
import { type Actor, formatActor, parseActor } from "../domain/actor.ts";
import { type ApiToken, hashTokenSecret, isActorTokenSecret, newTokenSecret } from "../domain/api_tokens.ts";
import { optionalName } from "../domain/fields.ts";
import { goQuote } from "../domain/quote.ts";
import { shortId } from "../domain/refs.ts";
import { pageLimit, pageOffset, UNBOUNDED } from "../domain/paging.ts";
import type { Page } from "../domain/models.ts";
import * as repo from "../db/repos/tokens.ts";
import { resolveId } from "../db/repos/ids.ts";

/** How stale `last_used_at` may get before a use writes it again: at most one write a minute per token. */
export const LAST_USED_GRANULARITY_NS = 60 * 1_000_000_000;

/** What a presented secret turned out to be. */
export type TokenCheck =
  | { ok: true; id: string; actor: Actor }
  | { ok: false; reason: "unknown" | "revoked" };

/**
 * Tokens bound to an actor: created, listed and revoked by whoever has the database (the CLI), and
 * checked by `backlog web` on every request that presents one. Only the SHA-256 of a secret is stored.
 */
export class TokenService {
  constructor(private ctx: ServiceContext) {}

  /**
   * Makes a token for `actor` (`kind:name`); the secret is returned this once and never stored.
   * Raises usage (actor), invalid (name).
   */
  async create(
    input: z.output<typeof TokenCreateSchema>,
    by: Actor,
  ): Promise<{ token: ApiToken; secret: string }> {
    const actor = formatActor(parseActor(input.actor, "--actor"));
    const name = optionalName((input.name ?? "").trim(), "name");
    const secret = newTokenSecret();
    const hash = await hashTokenSecret(secret);
    const token: ApiToken = {
      id: this.ctx.ids(),
      actor,
      name,
      created_at: this.ctx.clock(),
      created_by: formatActor(by),
      last_used_at: null,
      revoked_at: null,
    };
    await this.ctx.db.tx(async () => {
      await repo.insertToken(this.ctx.db, { ...token, hash });
      await record(this.ctx, {
        entity: "token",
        entity_id: token.id,
        action: "created",
        summary: `Created token ${label(token)} for ${actor}`,
        project_id: "",
      }, by);
    });
    return { token, secret };
  }

  /** A page of tokens, oldest first (revoked ones included); never a secret or a hash. */
  async list(q: { limit?: number; offset?: number } = {}): Promise<{ tokens: ApiToken[]; page: Page }> {
    const limit = pageLimit(q.limit, UNBOUNDED);
    const offset = pageOffset(q.offset);
    const tokens = await repo.listTokens(this.ctx.db, { limit, offset });
    const total = await repo.countTokens(this.ctx.db);
    return {
      tokens,
      page: { total, count: tokens.length, limit, offset, has_more: offset + tokens.length < total },
    };
  }

  /**
   * Revokes a token (its id or a unique prefix of it): every server refuses it from the next request
   * on. Revoking a revoked token changes nothing. Raises not_found, invalid (bad or ambiguous id).
   */
  async revoke(id: string, by: Actor): Promise<{ token: ApiToken; revoked: boolean }> {
    return await this.ctx.db.tx(async () => {
      const full = await resolveId(this.ctx.db, "api_tokens", id, "token");
      const at = this.ctx.clock();
      const revoked = await repo.revokeToken(this.ctx.db, full, at) > 0;
      const token = (await repo.getToken(this.ctx.db, full))!;
      if (revoked) {
        await record(this.ctx, {
          entity: "token",
          entity_id: full,
          action: "revoked",
          summary: `Revoked token ${label(token)} of ${token.actor}`,
          project_id: "",
        }, by);
      }
      return { token, revoked };
    });
  }

  /**
   * Who a presented secret belongs to: one lookup by hash, no cache, so a revoke made through any
   * server or CLI holds on the next request everywhere. A use is recorded in `last_used_at` at most
   * once a minute per token (best effort: bookkeeping never fails a request).
   */
  async authenticate(secret: string): Promise<TokenCheck> {
    if (!isActorTokenSecret(secret)) return { ok: false, reason: "unknown" };
    const t = await repo.tokenByHash(this.ctx.db, await hashTokenSecret(secret));
    if (!t) return { ok: false, reason: "unknown" };
    if (t.revoked_at !== null) return { ok: false, reason: "revoked" };
    const now = this.ctx.clock();
    if (t.last_used_at === null || now - t.last_used_at >= LAST_USED_GRANULARITY_NS) {
      try {
        // READ COMMITTED on PostgreSQL: bookkeeping on one row, outside the write lock, must not take
        // part in the serializable checks the writes rely on (SQLite ignores the option).
        await this.ctx.db.tx(
          () => repo.touchToken(this.ctx.db, t.id, now, now - LAST_USED_GRANULARITY_NS),
          { isolation: "read committed" } as TxOptions,
        );
      } catch { /* a busy or read-only database still lets the request through */ }
    }
    return { ok: true, id: t.id, actor: parseActor(t.actor, "token actor") };
  }
}

/** `"laptop agent"` (quoted) when the token has a name, else its short id. */
const label = (t: ApiToken) => t.name ? goQuote(t.name) : shortId(t.id);
