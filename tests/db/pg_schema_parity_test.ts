import assert from "node:assert/strict";
import { SqliteStore } from "../../src/db/connection.ts";
import type { Store } from "../../src/db/store.ts";
import { migrate } from "../../src/db/migrate.ts";
import { migratePg } from "../../src/db/pg/migrate.ts";
import { pgTest, withPgStore } from "../helpers/pg.ts";

/**
 * Objects only one engine has, for the same job: SQLite's FTS5 index (a virtual table, its shadow tables
 * and three sync triggers) is PostgreSQL's tasks_fts (task_id, document tsvector) with a GIN index, a
 * trigger and two functions; SQLite's rowid, the change feed's position in activity_log, is
 * PostgreSQL's activity_log.seq (assigned at commit) with its unique index; PostgreSQL spreads each
 * task_counts total over per-connection slots (task_counts.slot, part of its key). Everything else
 * must match.
 */
const SQLITE_ONLY = /^(tasks_fts(_\w+)?|tasks_a[idu])$/;
const PG_ONLY = /^(tasks_fts|idx_tasks_fts_document|tasks_fts_pkey|idx_activity_seq)$/;
const PG_ONLY_COLUMNS = new Set(["activity_log.seq", "task_counts.slot"]);

interface Column {
  name: string;
  type: string;
  notnull: boolean;
  dflt: string | null;
}

interface Schema {
  tables: Record<string, Column[]>;
  pk: Record<string, string[]>;
  fks: string[];
  unique: string[];
  indexes: string[];
}

const FAMILY: Record<string, string> = {
  INTEGER: "int",
  bigint: "int",
  integer: "int",
  TEXT: "text",
  text: "text",
  BLOB: "bytes",
  bytea: "bytes",
  REAL: "real",
  "double precision": "real",
};

const dflt = (v: string | null) => v === null ? null : v.replace(/::(text|bigint|integer)$/, "");

async function sqliteSchema(db: Store): Promise<Schema> {
  const s: Schema = { tables: {}, pk: {}, fks: [], unique: [], indexes: [] };
  const tables = (await db.all<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  )).map((r) => r.name).filter((n) => !SQLITE_ONLY.test(n));
  for (const t of tables) {
    const cols = await db.all<
      { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }
    >(
      `PRAGMA table_info(${t})`,
    );
    s.tables[t] = cols.map((c) => ({
      name: c.name,
      type: FAMILY[c.type] ?? c.type,
      // SQLite lets a TEXT PRIMARY KEY hold NULL (a legacy quirk); PostgreSQL never does.
      notnull: Boolean(c.notnull || c.pk),
      dflt: dflt(c.dflt_value),
    }));
    s.pk[t] = cols.filter((c) => c.pk).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    for (
      const f of await db.all<{ table: string; from: string; to: string; on_delete: string }>(
        `PRAGMA foreign_key_list(${t})`,
      )
    ) s.fks.push(`${t}.${f.from} -> ${f.table}.${f.to} on delete ${f.on_delete.toLowerCase()}`);
    for (
      const i of await db.all<{ name: string; unique: number; origin: string }>(`PRAGMA index_list(${t})`)
    ) {
      if (i.origin === "pk") continue;
      const cols = (await db.all<{ name: string }>(`PRAGMA index_info(${i.name})`)).map((c) => c.name)
        .join(",");
      if (i.origin === "u") s.unique.push(`${t}(${cols})`);
      else s.indexes.push(`${i.name} ${i.unique ? "unique " : ""}${t}(${cols})`);
    }
  }
  return sorted(s);
}

async function pgSchema(db: Store): Promise<Schema> {
  const s: Schema = { tables: {}, pk: {}, fks: [], unique: [], indexes: [] };
  const cols = await db.all<
    {
      table_name: string;
      column_name: string;
      data_type: string;
      is_nullable: string;
      column_default: string | null;
    }
  >(
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
     WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  for (const c of cols) {
    if (PG_ONLY.test(c.table_name) || PG_ONLY_COLUMNS.has(`${c.table_name}.${c.column_name}`)) continue;
    (s.tables[c.table_name] ??= []).push({
      name: c.column_name,
      type: FAMILY[c.data_type] ?? c.data_type,
      notnull: c.is_nullable === "NO",
      dflt: dflt(c.column_default),
    });
  }
  const cons = await db.all<
    { t: string; contype: string; cols: string[]; ft: string; fcols: string[]; del: string }
  >(
    `SELECT c.conrelid::regclass::text AS t, c.contype,
       ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o) AS cols,
       c.confrelid::regclass::text AS ft,
       ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o) AS fcols,
       c.confdeltype AS del
     FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE n.nspname = 'public' AND c.contype IN ('p', 'f', 'u')`,
  );
  const action: Record<string, string> = { a: "no action", c: "cascade", n: "set null", r: "restrict" };
  for (const c of cons) {
    if (PG_ONLY.test(c.t)) continue;
    if (c.contype === "p") s.pk[c.t] = c.cols.filter((col: string) => !PG_ONLY_COLUMNS.has(`${c.t}.${col}`));
    if (c.contype === "u") s.unique.push(`${c.t}(${c.cols.join(",")})`);
    if (c.contype === "f") {
      s.fks.push(`${c.t}.${c.cols[0]} -> ${c.ft}.${c.fcols[0]} on delete ${action[c.del]}`);
    }
  }
  const idx = await db.all<{ name: string; t: string; uniq: boolean; cols: string[] }>(
    `SELECT i.relname AS name, t.relname AS t, x.indisunique AS uniq,
       ARRAY(SELECT a.attname::text FROM unnest(x.indkey) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n ORDER BY k.o) AS cols
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
  );
  for (const i of idx) {
    if (!PG_ONLY.test(i.name)) {
      s.indexes.push(`${i.name} ${i.uniq ? "unique " : ""}${i.t}(${i.cols.join(",")})`);
    }
  }
  return sorted(s);
}

function sorted(s: Schema): Schema {
  return {
    tables: s.tables,
    pk: s.pk,
    fks: s.fks.sort(),
    unique: s.unique.sort(),
    indexes: s.indexes.sort(),
  };
}

/** Every CHECK of the SQLite schema as (table, column, allowed values, refused values). */
async function checks(
  db: Store,
): Promise<{ t: string; col: string; ok: (string | number)[]; bad: (string | number)[] }[]> {
  const out: { t: string; col: string; ok: (string | number)[]; bad: (string | number)[] }[] = [];
  for (
    const { name, sql } of await db.all<{ name: string; sql: string }>(
      "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%CHECK%'",
    )
  ) {
    for (const m of sql.matchAll(/CHECK\((\w+) IN \(([^)]*)\)\)/g)) {
      out.push({ t: name, col: m[1], ok: m[2].split(",").map((v) => v.trim().slice(1, -1)), bad: ["nope"] });
    }
    for (const m of sql.matchAll(/CHECK\((\w+) BETWEEN (\d+) AND (\d+)\)/g)) {
      const [lo, hi] = [Number(m[2]), Number(m[3])];
      out.push({
        t: name,
        col: m[1],
        ok: Array.from({ length: hi - lo + 1 }, (_, i) => lo + i),
        bad: [lo - 1, hi + 1],
      });
    }
  }
  return out;
}

/** One row in every table with a CHECK (ids all 'x', a second task 'y' for task_deps), to probe them. */
const FIXTURE = [
  "INSERT INTO projects (id, alias, name, created_at, updated_at) VALUES ('x', 'x', 'x', 1, 1)",
  "INSERT INTO tasks (id, project_id, title, created_at, updated_at, task_seq) VALUES ('x', 'x', 't', 1, 1, 1)",
  "INSERT INTO tasks (id, project_id, title, created_at, updated_at, task_seq) VALUES ('y', 'x', 't', 1, 1, 2)",
  "INSERT INTO plans (id, task_id, created_at, updated_at) VALUES ('x', 'x', 1, 1)",
  "INSERT INTO plan_versions (id, plan_id, version, title, body, created_at) VALUES ('x', 'x', 1, 't', 'b', 1)",
  "INSERT INTO comments (id, task_id, body, created_at) VALUES ('x', 'x', 'b', 1)",
  "INSERT INTO project_memory (id, project_id, body, created_at) VALUES ('x', 'x', 'b', 1)",
  "INSERT INTO project_docs (id, project_id, title, created_at, updated_at) VALUES ('x', 'x', 't', 1, 1)",
  "INSERT INTO project_doc_versions (id, doc_id, version, title, created_at) VALUES ('x', 'x', 1, 't', 1)",
  "INSERT INTO task_deps (task_id, blocked_by, created_at) VALUES ('x', 'y', 1)",
  "INSERT INTO attachments (id, name, data, created_at) VALUES ('x', 'a.txt', '', 1)",
  "INSERT INTO task_runs (id, task_id, holder, started_at) VALUES ('x', 'x', 'ai:x', 1)",
];

pgTest(
  "SQLite and PostgreSQL migrations reach the same tables, columns, keys, indexes and CHECKs",
  async () => {
    const lite = new SqliteStore(":memory:");
    await migrate(lite);
    await withPgStore(async (pg) => {
      await migratePg(pg);
      const [a, b] = [await sqliteSchema(lite), await pgSchema(pg)];
      assert.deepEqual(Object.keys(b.tables).sort(), Object.keys(a.tables).sort());
      for (const t of Object.keys(a.tables)) assert.deepEqual(b.tables[t], a.tables[t], `columns of ${t}`);
      assert.deepEqual(b.pk, a.pk);
      assert.deepEqual(b.fks, a.fks);
      assert.deepEqual(b.unique, a.unique);
      assert.deepEqual(b.indexes, a.indexes);
      assert.ok(
        a.fks.length >= 12 && a.indexes.length >= 15,
        `the comparison saw the schema: ${JSON.stringify(a)}`,
      );

      // Rows for tables a later migration adds are skipped until it exists.
      for (const sql of FIXTURE.filter((f) => a.tables[f.split(" ")[2]])) {
        (await lite.exec(sql), await pg.exec(sql));
      }
      const probes = await checks(lite);
      assert.ok(probes.length >= 12, `found ${probes.length} CHECKs`);
      for (const { t, col, ok, bad } of probes) {
        for (const v of [...ok, ...bad]) {
          const sql = `UPDATE ${t} SET ${col} = ${typeof v === "number" ? v : `'${v}'`}`;
          const onLite = await lite.run(sql).then((n) => n > 0, () => false);
          const onPg = await pg.run(sql).then(() => true, () => false);
          assert.equal(onLite, ok.includes(v as never), `sqlite ${sql}`);
          assert.equal(onPg, onLite, `postgres ${sql}`);
        }
      }
      // The one CHECK that is not an enum.
      const self = "UPDATE task_deps SET blocked_by = task_id";
      await assert.rejects(lite.exec(self));
      await assert.rejects(pg.exec(self));
    });
    await lite.close();
  },
);
