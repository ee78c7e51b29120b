// `import <db>` leaves no temporary copy behind and applies the upload rules to attachment names.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { sweepStaleImports } from "../../src/services/interchange/import_temp.ts";
import { workspace } from "../helpers/cli.ts";
import { originalV8Db, withDb } from "./helpers.ts";

Deno.test("a temporary copy whose import was killed is swept; a running import's copy is kept", async () => {
  const dir = await Deno.makeTempDir({ prefix: "backlog-sweep-" });
  const sleeper = new Deno.Command("sleep", { args: ["30"] }).spawn();
  try {
    const dead = `${dir}/backlog-import-2147483646-abc`; // no such process
    const running = `${dir}/backlog-import-${sleeper.pid}-def`;
    const mine = `${dir}/backlog-import-${Deno.pid}-ghi`;
    const other = `${dir}/unrelated-2147483646-x`;
    for (const d of [dead, running, mine, other]) {
      await Deno.mkdir(d);
      await Deno.writeTextFile(`${d}/source.db`, "copy");
    }
    assert.equal(sweepStaleImports(dir), 1);
    const left = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(left, [running, mine, other].map((p) => p.split("/").pop()!).sort());
  } finally {
    sleeper.kill();
    await sleeper.status;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("imported attachment names and MIME types follow the rules of attachment add", async () => {
  const ws = await workspace();
  try {
    const src = `${ws.home}/original.db`;
    await originalV8Db(src);
    const raw = new DatabaseSync(src);
    raw.exec(`UPDATE attachments SET name = '../../etc/pass\u0007wd.txt', mime_type = 'text/html; charset=x'
      WHERE id = '01HV000000000000000000ATT1';
      UPDATE attachments SET name = '..', mime_type = 'Image/PNG' WHERE id = '01HV000000000000000000ATT2';`);
    raw.close();
    await ws.json(["import", src]);
    const rows = await withDb(
      ws.db,
      (db) =>
        db.all<{ name: string; mime_type: string }>(
          "SELECT id, name, mime_type FROM attachments ORDER BY id",
        ),
    );
    assert.deepEqual(rows.map((r) => [r.name, r.mime_type]), [
      ["pass_wd.txt", "text/plain; charset=utf-8"],
      ["attachment", "image/png"],
    ]);
  } finally {
    await ws.cleanup();
  }
});
