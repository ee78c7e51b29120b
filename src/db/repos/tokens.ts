import { ns, type Store } from "../store.ts";
import { limitOrAll } from "../sql.ts";
import type { ApiToken } from "../../domain/api_tokens.ts";

/** A row of api_tokens as written: the listed fields plus the SHA-256 of the secret. */
export type TokenInsert = Pick<ApiToken, "id" | "actor" | "name" | "created_at" | "created_by"> & {
  hash: string;
};

/** Every column but the hash, in the listed shape. */
const COLUMNS = "id, actor, name, created_at, created_by, last_used_at, revoked_at";

const toToken = (r: ApiToken): ApiToken => ({
  id: r.id,
  actor: r.actor,
  name: r.name,
  created_at: r.created_at,
  created_by: r.created_by,
  last_used_at: r.last_used_at ?? null,
  revoked_at: r.revoked_at ?? null,
});

export async function insertToken(db: Store, t: TokenInsert): Promise<void> {
  await db.run(
    "INSERT INTO api_tokens (id, actor, name, hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
    t.id,
    t.actor,
    t.name,
    t.hash,
    ns(t.created_at),
    t.created_by,
  );
}

export async function getToken(db: Store, id: string): Promise<ApiToken | undefined> {
  const r = await db.get<ApiToken>(`SELECT ${COLUMNS} FROM api_tokens WHERE id = ?`, id);
  return r && toToken(r);
}

/** The token whose secret hashes to `hash` (revoked or not): one indexed lookup per request. */
export async function tokenByHash(db: Store, hash: string): Promise<ApiToken | undefined> {
  const r = await db.get<ApiToken>(`SELECT ${COLUMNS} FROM api_tokens WHERE hash = ?`, hash);
  return r && toToken(r);
}

/** A page of tokens, oldest first. */
export async function listTokens(db: Store, o: { limit: number; offset: number }): Promise<ApiToken[]> {
  return (await db.all<ApiToken>(
    `SELECT ${COLUMNS} FROM api_tokens ORDER BY created_at, id LIMIT CAST(? AS BIGINT) OFFSET CAST(? AS BIGINT)`,
    limitOrAll(o.limit),
    o.offset,
  )).map(toToken);
}

export async function countTokens(db: Store): Promise<number> {
  return (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM api_tokens"))!.n;
}

/** Marks a live token revoked; 0 when it already was. */
export async function revokeToken(db: Store, id: string, at: number): Promise<number> {
  return await db.run(
    "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
    ns(at),
    id,
  );
}

/** Records a use at `at` unless one at or after `since` is already recorded (so at most one write a while). */
export async function touchToken(db: Store, id: string, at: number, since: number): Promise<number> {
  return await db.run(
    "UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
    ns(at),
    id,
    ns(since),
  );
}
