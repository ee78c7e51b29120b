import { type Dialect, ns, type Param, type Store } from "../store.ts";
import { instr, limitOrAll, lowerAscii } from "../sql.ts";
import type { Memory } from "../../domain/knowledge.ts";
import type { Actor } from "../../domain/actor.ts";

type MemoryRow = {
  id: string;
  project_id: string;
  body: string;
  tags: string;
  actor_kind: string;
  actor_name: string;
  created_at: number;
  p_alias?: string;
  p_name?: string;
};

/** Maps a row in the original's field order: id, project_id, project?, body, tags?, actor, created_at. */
function toMemory(r: MemoryRow): Memory {
  const m = { id: r.id, project_id: r.project_id } as Memory;
  if (r.p_alias !== undefined) m.project = { id: r.project_id, alias: r.p_alias, name: r.p_name ?? "" };
  m.body = r.body;
  if (r.tags) m.tags = r.tags;
  m.actor = { kind: r.actor_kind as Actor["kind"], name: r.actor_name };
  m.created_at = r.created_at;
  return m;
}

/** Inserts a memory entry. */
export async function insertMemory(db: Store, m: Memory): Promise<void> {
  await db.run(
    `INSERT INTO project_memory (id, project_id, body, tags, actor_kind, actor_name, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    m.id,
    m.project_id,
    m.body,
    m.tags ?? "",
    m.actor.kind,
    m.actor.name,
    ns(m.created_at),
  );
}

export async function getMemory(db: Store, id: string): Promise<Memory | undefined> {
  const r = await db.get<MemoryRow>("SELECT * FROM project_memory WHERE id = ?", id);
  return r && toMemory(r);
}

/** Sets body and/or tags (only the given ones). */
export async function updateMemory(
  db: Store,
  id: string,
  patch: { body?: string; tags?: string },
): Promise<number> {
  const sets: string[] = [];
  const params: Param[] = [];
  if (patch.body !== undefined) (sets.push("body = ?"), params.push(patch.body));
  if (patch.tags !== undefined) (sets.push("tags = ?"), params.push(patch.tags));
  if (!sets.length) return 0;
  return await db.run(`UPDATE project_memory SET ${sets.join(", ")} WHERE id = ?`, ...params, id);
}

export async function deleteMemory(db: Store, id: string): Promise<number> {
  return await db.run("DELETE FROM project_memory WHERE id = ?", id);
}

export interface MemoryFilter {
  project_id?: string;
  /** A whole tag, matched case-insensitively against the trimmed comma-separated list. */
  tag?: string;
}

// Stored tags may carry spaces around commas (the original kept them verbatim); compare trimmed.
const TRIMMED_TAGS =
  `replace(replace(replace(replace(trim(m.tags), ' ,', ','), ', ', ','), ' ,', ','), ', ', ',')`;

/** The tag filter: `,tag,` inside `,tags,`, both trimmed and lower-cased the same way on both engines. */
function tagMatch(d: Dialect): string {
  const tags = `',' || ${lowerAscii(d, TRIMMED_TAGS)} || ','`;
  return `${instr(d, tags, `',' || ${lowerAscii(d, "CAST(? AS TEXT)")} || ','`)} > 0`;
}

function where(d: Dialect, f: MemoryFilter): { sql: string; params: Param[] } {
  const c: string[] = [];
  const p: Param[] = [];
  if (f.project_id) (c.push("m.project_id = ?"), p.push(f.project_id));
  else c.push("pr.archived_at IS NULL");
  if (f.tag) (c.push(tagMatch(d)), p.push(f.tag));
  return { sql: `WHERE ${c.join(" AND ")}`, params: p };
}

/** Memory entries newest first; without a project, across non-archived projects (with the project ref). */
export async function listMemory(
  db: Store,
  f: MemoryFilter,
  limit: number,
  offset: number,
): Promise<Memory[]> {
  const w = where(db.dialect, f);
  const cols = f.project_id ? "m.*" : "m.*, pr.alias AS p_alias, pr.name AS p_name";
  return (await db.all<MemoryRow>(
    `SELECT ${cols} FROM project_memory m JOIN projects pr ON pr.id = m.project_id ${w.sql}
     ORDER BY m.created_at DESC, m.id DESC LIMIT CAST(? AS BIGINT) OFFSET CAST(? AS BIGINT)`,
    ...w.params,
    limitOrAll(limit),
    offset,
  )).map(toMemory);
}

export async function countMemory(db: Store, f: MemoryFilter): Promise<number> {
  const w = where(db.dialect, f);
  return (await db.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM project_memory m JOIN projects pr ON pr.id = m.project_id ${w.sql}`,
    ...w.params,
  ))!.n;
}
