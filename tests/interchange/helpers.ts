import { DatabaseSync } from "node:sqlite";
import { type App, openApp } from "../../src/app.ts";
import { SqliteStore } from "../../src/db/connection.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openStore } from "../../src/db/open.ts";
import type { Store } from "../../src/db/store.ts";
import { isPgUrl } from "../../src/db/url.ts";
import { workspace } from "../helpers/cli.ts";

/** Deterministic ULID-shaped IDs: 01K0…0001, 01K0…0002, … */
export function counterIds(prefix = "01K0"): () => string {
  let n = 0;
  return () => `${prefix}${String(++n).padStart(26 - prefix.length, "0")}`;
}

/**
 * A clock from 2026-01-01T00:00:00Z advancing 1.024 ms per call: every value is an exact double,
 * so timestamps print exactly (as the system clock's do).
 */
export function exactClock(start = Date.UTC(2026, 0, 1) * 1e6): () => number {
  let n = 0;
  return () => start + (n++) * 1_024_000;
}

/** An app on a file (or memory) with a fixed clock and deterministic IDs. */
export async function fixedApp(dbPath = ":memory:", prefix = "01K0"): Promise<App> {
  return await openApp({ dbPath, clock: exactClock(), ids: counterIds(prefix) });
}

/**
 * Every row of every table (FTS shadow tables included) as text: two dumps are equal exactly when
 * the database content is the same. A `postgres://` URL is dumped from the server (every table of its
 * schema, rows as JSON with exact integers).
 */
export async function dump(path: string): Promise<string> {
  if (isPgUrl(path)) return await dumpPg(path);
  const db = new DatabaseSync(path, { readOnly: true, readBigInts: true } as Record<string, boolean>);
  try {
    const tables = db.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    ).all() as { name: string }[];
    const out: string[] = [];
    for (const { name } of tables) {
      const rows = db.prepare(`SELECT * FROM "${name}"`).all();
      const lines = rows.map((r) =>
        JSON.stringify(
          r,
          (_k, v) =>
            typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? `bytes:${[...v].join(",")}` : v,
        )
      ).sort();
      out.push(`## ${name} (${rows.length})`, ...lines);
    }
    return out.join("\n");
  } finally {
    db.close();
  }
}

async function dumpPg(url: string): Promise<string> {
  const db = await openStore(url, { noMigrate: true });
  try {
    const tables = await db.all<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
    );
    const out: string[] = [];
    for (const { name } of tables) {
      const rows = await db.all<{ j: string }>(`SELECT CAST(to_jsonb(t) AS TEXT) AS j FROM "${name}" t`);
      out.push(`## ${name} (${rows.length})`, ...rows.map((r) => r.j).sort());
    }
    return out.join("\n");
  } finally {
    await db.close();
  }
}

/** Row count of a table in a database file (or on a `postgres://` server). */
export async function count(path: string, table: string): Promise<number> {
  return await withDb(
    path,
    async (db) => (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n,
  );
}

/** Runs fn with the database a workspace names (a file or a `postgres://` URL) open, unmigrated. */
export async function withDb<T>(path: string, fn: (db: Store) => Promise<T>): Promise<T> {
  const db = await openStore(path, { noMigrate: true });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/**
 * A CLI workspace on a SQLite file whatever engine the run uses: the source of an import (a
 * backlog.db), or a test about the file itself. (`workspace` takes the engine where the helper
 * supports PostgreSQL workspaces; where it does not, every workspace is a SQLite file anyway.)
 */
export const sqliteWorkspace = (): ReturnType<typeof workspace> =>
  (workspace as (o?: { engine?: "sqlite" | "postgres" }) => ReturnType<typeof workspace>)({
    engine: "sqlite",
  });

export async function sha256(path: string): Promise<string> {
  const b = await Deno.readFile(path);
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", b));
  return Array.from(h, (x) => x.toString(16).padStart(2, "0")).join("");
}

const NS = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n + 123_456n;

/**
 * A database as the original Go tool writes it: our migrations up to its schema v8 only, rows
 * inserted with its columns (no version/claim columns, memory v2, docs, attachments, activity),
 * in rollback-journal mode so a switch to WAL would show in the file header.
 */
export async function originalV8Db(path: string): Promise<void> {
  const db = new SqliteStore(path);
  try {
    await migrate(db, { upTo: 8 });
    await db.exec("PRAGMA journal_mode = DELETE");
    const t0 = NS("2025-06-01T10:00:00Z");
    await db.exec(`
      INSERT INTO projects (id, alias, name, description, repo_path, archived_at, created_at, updated_at) VALUES
        ('01HV000000000000000000PRJA', 'api', 'API Service', 'the api', '/code/api', NULL, ${t0}, ${t0}),
        ('01HV000000000000000000PRJB', 'web', 'Web', '', '', ${t0 + 5n}, ${t0}, ${t0 + 5n});
      INSERT INTO tasks (id, project_id, title, description, type, status, priority, assignee, due_at, actor_kind,
          actor_name, source, external_ref, completed_at, archived_at, created_at, updated_at, task_seq, project_path)
        VALUES
        ('01HV00000000000000000TASK1', '01HV000000000000000000PRJA', 'Fix login timeout', 'Sessions expire early',
          'bug', 'done', 1, 'alice', ${t0 + 86400000000000n}, 'human', 'alice', 'semgrep', 'SEM-1',
          ${t0 + 3600000000000n}, NULL, ${t0 + 1n}, ${t0 + 3600000000000n}, 1, 'src/login.go:84'),
        ('01HV00000000000000000TASK2', '01HV000000000000000000PRJA', 'Write docs', '', 'chore', 'todo', 3, '',
          NULL, 'ai', 'claude-opus', '', '', NULL, NULL, ${t0 + 2n}, ${t0 + 2n}, 2, ''),
        ('01HV00000000000000000TASK3', '01HV000000000000000000PRJB', 'Old page', 'archived one', 'task', 'doing', 4, '',
          NULL, 'human', 'bob', '', '', NULL, ${t0 + 9n}, ${t0 + 3n}, ${t0 + 9n}, 3, 'web/page.tsx');
      INSERT INTO labels (id, project_id, name, color) VALUES
        ('01HV000000000000000000LBL1', '01HV000000000000000000PRJA', 'security', '#ff0000'),
        ('01HV000000000000000000LBL2', '01HV000000000000000000PRJA', 'auth', '');
      INSERT INTO task_labels (task_id, label_id) VALUES
        ('01HV00000000000000000TASK1', '01HV000000000000000000LBL1'),
        ('01HV00000000000000000TASK1', '01HV000000000000000000LBL2');
      INSERT INTO plans (id, task_id, current_version, source, archived_at, created_at, updated_at) VALUES
        ('01HV000000000000000000PLN1', '01HV00000000000000000TASK1', 2, 'agent', NULL, ${t0 + 10n}, ${
      t0 + 20n
    });
      INSERT INTO plan_versions (id, plan_id, version, title, body, actor_kind, actor_name, change_note, created_at) VALUES
        ('01HV00000000000000000PLV1', '01HV000000000000000000PLN1', 1, 'Plan', 'v1 body', 'ai', 'claude', '', ${
      t0 + 10n
    }),
        ('01HV00000000000000000PLV2', '01HV000000000000000000PLN1', 2, 'Plan', 'v2 body', 'human', 'alice', 'tighter', ${
      t0 + 20n
    });
      INSERT INTO comments (id, task_id, body, actor_kind, actor_name, created_at) VALUES
        ('01HV000000000000000000CMT1', '01HV00000000000000000TASK1', 'verified fixed', 'ai', 'claude', ${
      t0 + 30n
    });
      INSERT INTO project_memory (id, project_id, body, tags, actor_kind, actor_name, created_at) VALUES
        ('01HV000000000000000000MEM1', '01HV000000000000000000PRJA', 'Use parameterized queries', 'decisions,sql',
          'ai', 'claude', ${t0 + 40n});
      INSERT INTO project_docs (id, project_id, title, current_version, actor_kind, actor_name, archived_at,
          created_at, updated_at) VALUES
        ('01HV000000000000000000DOC1', '01HV000000000000000000PRJA', 'Runbook', 2, 'human', 'alice', NULL,
          ${t0 + 50n}, ${t0 + 60n});
      INSERT INTO project_doc_versions (id, doc_id, version, title, body, actor_kind, actor_name, change_note,
          created_at) VALUES
        ('01HV00000000000000000DOV1', '01HV000000000000000000DOC1', 1, 'Runbook', 'step 1', 'human', 'alice', '',
          ${t0 + 50n}),
        ('01HV00000000000000000DOV2', '01HV000000000000000000DOC1', 2, 'Runbook', 'step 1\nstep 2', 'ai', 'claude',
          'appended', ${t0 + 60n});
      INSERT INTO attachments (id, name, mime_type, size, data, linked_type, linked_id, actor_kind, actor_name,
          created_at) VALUES
        ('01HV000000000000000000ATT1', 'trace.bin', 'application/octet-stream', 4, X'00FF10E2', 'task',
          '01HV00000000000000000TASK1', 'human', 'alice', ${t0 + 70n}),
        ('01HV000000000000000000ATT2', 'spec.md', 'text/markdown', 2, X'6869', 'doc',
          '01HV000000000000000000DOC1', 'human', 'alice', ${t0 + 71n});
      INSERT INTO activity_log (id, entity, entity_id, action, actor_kind, actor_name, payload, created_at,
          project_id, summary) VALUES
        ('01HV000000000000000000ACT1', 'task', '01HV00000000000000000TASK1', 'created', 'human', 'alice', '{}',
          ${t0 + 1n}, '01HV000000000000000000PRJA', 'Created task "Fix login timeout" (TASK-1)');
    `);
  } finally {
    await db.close();
  }
}

/** The path of the Backlog.md task file under `root/tasks` whose name starts with `prefix`. */
export function taskFile(root: string, prefix: string): string {
  return `${root}/tasks/${
    [...Deno.readDirSync(`${root}/tasks`)].find((e) => e.name.startsWith(prefix))!.name
  }`;
}

/** Copies a folder tree. */
export async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await copyDir(`${from}/${e.name}`, `${to}/${e.name}`);
    else await Deno.copyFile(`${from}/${e.name}`, `${to}/${e.name}`);
  }
}
