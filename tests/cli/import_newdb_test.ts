import { sqliteOnly } from "../helpers/app.ts";
import assert from "node:assert/strict";
import { workspace } from "../helpers/cli.ts";

const FIX = new URL("../fixtures/", import.meta.url).pathname;
const absent = (p: string) => assert.throws(() => Deno.statSync(p), Deno.errors.NotFound, p);

Deno.test({
  name:
    "[sqlite] import --dry-run creates no database; a failed import into a new one leaves no file and no note",
  ignore: sqliteOnly,
}, async () => {
  const ws = await workspace();
  try {
    const db = `${ws.home}/backlog.db`;
    const dry = await ws.run(["import", `${FIX}github/issues.json`, "--dry-run"]);
    assert.notEqual(dry.code, 0);
    assert.match(dry.stderr, /database does not exist/);
    absent(db);
    const findings = await ws.run(["import-findings", `${FIX}github/issues.json`, "--dry-run", "-p", "x"]);
    assert.notEqual(findings.code, 0);
    absent(db);

    Deno.writeTextFileSync(`${ws.home}/bad.json`, "[{oops}]");
    const bad = await ws.run(["import", `${ws.home}/bad.json`]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.doesNotMatch(bad.stderr, /note: created/);
    absent(db);

    const ok = await ws.run(["import", `${FIX}github/issues.json`]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /note: created a new workspace database/);
    Deno.statSync(db);
  } finally {
    await ws.cleanup();
  }
});
