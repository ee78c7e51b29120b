// After an import into PostgreSQL the planner's statistics describe the loaded tables at once
// (src/db/repos/interchange.ts refreshStatistics): a fresh 10,000-task import otherwise planned its
// searches blind until autovacuum's next pass (35–40 ms against 3–9 ms for a `token*` search).
import assert from "node:assert/strict";
import { openPgStore } from "../../src/db/pg/open.ts";
import { workspace } from "../helpers/cli.ts";
import { pgTest } from "../helpers/pg.ts";

const FIX = new URL("../fixtures/", import.meta.url).pathname;

pgTest("import into PostgreSQL refreshes the planner's statistics (a dry run does not)", async () => {
  const ws = await workspace({ engine: "postgres" });
  const db = await openPgStore(ws.db, { max: 1 });
  const analyzed = async () =>
    Number(
      (await db.get<{ n: number }>(
        "SELECT analyze_count AS n FROM pg_stat_user_tables WHERE relname = 'tasks'",
      ))?.n ?? 0,
    );
  try {
    await ws.json(["import", `${FIX}taskmaster/tasks.json`, "--dry-run"]);
    await ws.json(["import", `${FIX}taskmaster/tasks.json`]);
    // The server publishes its statistics counters within about a second of the ANALYZE.
    const end = Date.now() + 10_000;
    while (await analyzed() === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await analyzed(), 1, "one ANALYZE: the import's, not the dry run's");
  } finally {
    await db.close();
    await ws.cleanup();
  }
});
