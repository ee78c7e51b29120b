import assert from "node:assert/strict";
import meta from "../../deno.json" with { type: "json" };
import { stampVersion } from "../../scripts/compile.ts";
import { workspace } from "../helpers/cli.ts";
import { httpTest } from "../http/client.ts";

const ROOT = new URL("../../", import.meta.url);

Deno.test("backlog version and GET /api print deno.json's version, marked (source) from a checkout", async () => {
  const w = await workspace();
  try {
    const r = await w.run(["version"]);
    assert.deepEqual([r.code, r.stdout], [0, `backlog v${meta.version} (source)\n`]);
    assert.deepEqual(await w.json(["version"]), { version: `v${meta.version}`, source: true });
  } finally {
    await w.cleanup();
  }
  const h = await httpTest();
  try {
    const api = await h.get("/api");
    assert.deepEqual([api.json.version, api.json.source], [`v${meta.version}`, true]);
  } finally {
    await h.close();
  }
});

Deno.test("compile's stamp replaces the source version with the tag, and the version module needs no file at run time", async () => {
  const source = await Deno.readTextFile(new URL("src/version.ts", ROOT));
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/src`);
    await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify({ version: "9.9.9" }));
    await Deno.writeTextFile(`${dir}/src/plain.ts`, source);
    await Deno.writeTextFile(`${dir}/src/stamped.ts`, stampVersion(source, "v1.2.3"));
    const plain = await import(`file://${dir}/src/plain.ts`);
    const stamped = await import(`file://${dir}/src/stamped.ts`);
    assert.deepEqual([plain.VERSION_TEXT, plain.FROM_SOURCE], ["v9.9.9 (source)", true]);
    assert.deepEqual([stamped.VERSION_TEXT, stamped.FROM_SOURCE], ["v1.2.3", false]);
    assert.throws(() => stampVersion('export const VERSION = "dev";', "v1"), /no `const STAMPED/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  // deno.json is a module in the program's graph (a JSON import), so `deno compile` embeds it.
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "main.ts"],
    cwd: ROOT.pathname,
    stdout: "piped",
    stderr: "null",
  }).output();
  const graph = JSON.parse(new TextDecoder().decode(info.stdout)) as { modules: { specifier: string }[] };
  assert.ok(graph.modules.some((m) => m.specifier === new URL("deno.json", ROOT).href));
});
