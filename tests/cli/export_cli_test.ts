import assert from "node:assert/strict";
import { workspace } from "../helpers/cli.ts";

const ESC = "\x1b[31mred\x1b[0m";

async function withTasks(fn: (w: Awaited<Awaited<ReturnType<typeof workspace>>>) => Promise<void>) {
  const w = await workspace();
  try {
    assert.equal((await w.run(["project", "add", "API", "--alias", "api"])).code, 0);
    assert.equal(
      (await w.run(["task", "add", "-p", "api", "-t", "shown", "-d", `body ${ESC}\nline two`])).code,
      0,
    );
    await fn(w);
  } finally {
    await w.cleanup();
  }
}

Deno.test("export -o refuses an existing file without --force (exit 4, file untouched)", async () => {
  await withTasks(async (w) => {
    const path = `${w.home}/precious.txt`;
    await Deno.writeTextFile(path, "keep me");
    const r = await w.run(["export", "-p", "api", "-o", path]);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /file already exists/);
    assert.match(r.stderr, /--force/);
    assert.equal(await Deno.readTextFile(path), "keep me");
    const f = await w.run(["export", "-p", "api", "-o", path, "--force"]);
    assert.equal(f.code, 0, f.stderr);
    assert.equal(JSON.parse(await Deno.readTextFile(path)).tasks.length, 1);
    const fresh = await w.run(["export", "-p", "api", "-o", `${w.home}/new.json`]);
    assert.equal(fresh.code, 0, fresh.stderr);
  });
});

Deno.test("export -o --force onto a symlink replaces the file it leads to and keeps the link", async () => {
  await withTasks(async (w) => {
    // As `/dev/stdout` is a link: replacing the link itself once broke the machine's /dev/stdout.
    await Deno.writeTextFile(`${w.home}/target.json`, "old");
    await Deno.symlink("target.json", `${w.home}/link.json`);
    const r = await w.run(["export", "-p", "api", "-o", `${w.home}/link.json`, "--force"]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok((await Deno.lstat(`${w.home}/link.json`)).isSymlink);
    assert.equal(JSON.parse(await Deno.readTextFile(`${w.home}/target.json`)).tasks.length, 1);
    // A device path is written to directly, never refused as an existing file.
    const dev = await w.run(["export", "-p", "api", "-o", "/dev/null"]);
    assert.equal(dev.code, 0, dev.stderr);
    assert.ok((await Deno.stat("/dev/null")).isCharDevice);
  });
});

Deno.test("export to a terminal escapes control characters; to a pipe or file it is byte-exact", async () => {
  await withTasks(async (w) => {
    for (const format of ["json", "csv", "md"]) {
      const pipe = await w.run(["export", "-p", "api", "--format", format]);
      assert.equal(pipe.code, 0, pipe.stderr);
      const tty = await w.run(["export", "-p", "api", "--format", format], { tty: true });
      assert.equal(tty.code, 0, tty.stderr);
      assert.ok(!tty.stdout.includes("\x1b"), `${format}: no raw ESC on a terminal`);
      if (format === "md") {
        assert.ok(tty.stdout.includes("\\x1b[31mred"), `${format}: ESC shown escaped`);
        assert.ok(pipe.stdout.includes(ESC), `${format}: exact bytes to a pipe`);
        assert.ok(tty.stdout.includes("\n"), "line breaks stay line breaks");
      }
      const file = `${w.home}/out.${format}`;
      const written = await w.run(["export", "-p", "api", "--format", format, "-o", file, "--force"], {
        tty: true,
      });
      assert.equal(written.code, 0, written.stderr);
      assert.equal(await Deno.readTextFile(file), pipe.stdout, `${format}: the file holds the exact export`);
    }
  });
});
