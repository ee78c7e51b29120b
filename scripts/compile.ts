// deno-lint-ignore-file no-console no-control-regex
/**
 * Release binaries: `deno compile` for linux/darwin × x86_64/aarch64 (+ windows x86_64), with the
 * migrations, web bundle and skills embedded, the version stamped from the git tag, archives named
 * backlog_<os>_<arch>.tar.gz (.zip on Windows) and a checksums.txt — the original's release layout.
 *
 *   deno task compile [--version v1.2.3] [--target x86_64-unknown-linux-gnu]
 *
 * `deno compile` downloads its runtime stub from the internet; where that is impossible this stops
 * with one clear line and exit 1.
 */
import { parseArgs } from "node:util";

const TARGETS: Record<string, [string, string]> = {
  "x86_64-unknown-linux-gnu": ["linux", "amd64"],
  "aarch64-unknown-linux-gnu": ["linux", "arm64"],
  "x86_64-apple-darwin": ["darwin", "amd64"],
  "aarch64-apple-darwin": ["darwin", "arm64"],
  "x86_64-pc-windows-msvc": ["windows", "amd64"],
};

/**
 * What the binary reads at run time besides its modules (tests/compile_inputs_test.ts checks that
 * every file the program reads is under one of these).
 */
export const INCLUDES = ["migrations", "web/dist", "skills"];

const root = new URL("../", import.meta.url).pathname;

/**
 * The deno.json `deno compile` runs with (written beside deno.json for the build, so paths and the
 * lockfile stay the same): the project's, without `lazy-dynamic-imports`. That setting keeps
 * `deno run` from reading every module a dynamic import() could reach at start-up, but compile would
 * then leave those modules (every command group, the PostgreSQL store) out of the binary.
 */
export function compileConfig(denoJson: string): string {
  const cfg = JSON.parse(denoJson);
  cfg.unstable = (cfg.unstable ?? []).filter((f: string) => f !== "lazy-dynamic-imports");
  return JSON.stringify(cfg, null, 2) + "\n";
}

const dec = new TextDecoder();

async function run(cmd: string, args: string[], cwd = root): Promise<{ ok: boolean; out: string }> {
  const r = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" }).output();
  return { ok: r.success, out: dec.decode(r.stdout) + dec.decode(r.stderr) };
}

class CompileError extends Error {}

/** Stops the build with one line; thrown (not Deno.exit) so `finally` restores src/version.ts. */
function fail(msg: string): never {
  throw new CompileError(msg);
}

async function gitVersion(): Promise<string> {
  const r = await run("git", ["describe", "--tags", "--always", "--dirty"]);
  return r.ok ? r.out.trim() : "";
}

/** src/version.ts with the release tag stamped in; throws when its marker line is missing. */
export function stampVersion(source: string, version: string): string {
  const marker = /^const STAMPED: string = "";$/m;
  if (!marker.test(source)) fail('src/version.ts has no `const STAMPED: string = "";` line to stamp');
  return source.replace(marker, `const STAMPED: string = ${JSON.stringify(version)};`);
}

async function sha256(path: string): Promise<string> {
  const buf = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function main() {
  const { values } = parseArgs({
    args: Deno.args,
    options: { version: { type: "string" }, target: { type: "string", multiple: true } },
  });
  const version = values.version ?? await gitVersion();
  if (!version) fail("no version: tag the commit (git tag v1.2.3) or pass --version");
  const targets = values.target?.length ? values.target : Object.keys(TARGETS);
  for (const t of targets) {
    if (!TARGETS[t]) fail(`unknown target "${t}" (known: ${Object.keys(TARGETS).join(", ")})`);
  }

  const web = await run(Deno.execPath(), ["task", "build:web"]);
  if (!web.ok) fail(`web bundle failed: ${web.out.trim().split("\n").pop()}`);

  const versionFile = `${root}src/version.ts`;
  const original = await Deno.readTextFile(versionFile);
  const config = `${root}deno.compile.json`;
  await Deno.mkdir(`${root}dist`, { recursive: true });
  const sums: string[] = [];
  try {
    await Deno.writeTextFile(versionFile, stampVersion(original, version));
    await Deno.writeTextFile(config, compileConfig(await Deno.readTextFile(`${root}deno.json`)));
    for (const target of targets) {
      const [os, arch] = TARGETS[target];
      const stage = `${root}dist/backlog_${os}_${arch}`;
      await Deno.mkdir(stage, { recursive: true });
      const exe = `${stage}/backlog${os === "windows" ? ".exe" : ""}`;
      const r = await run(Deno.execPath(), [
        "compile",
        "--config",
        config,
        "-A",
        "--target",
        target,
        "--output",
        exe,
        ...INCLUDES.flatMap((dir) => ["--include", dir]),
        "main.ts",
      ]);
      if (!r.ok) {
        const lines = r.out.replace(/\x1b\[[0-9;]*m/g, "").split("\n").map((l) => l.trim()).filter(Boolean);
        const why = /dns error|failed to lookup|Name or service not known|unreachable|connection refused/i;
        const line = lines.find((l) => why.test(l)) ?? lines.find((l) => /error/i.test(l)) ?? lines.pop() ??
          "";
        const offline = why.test(r.out) || /dl\.deno\.land|download/i.test(r.out);
        fail(
          offline
            ? `cannot download the deno runtime for ${target} (no internet access?): ${
              line.replace(/\x1b\[[0-9;]*m/g, "").trim()
            }`
            : `deno compile failed for ${target}: ${line.trim()}`,
        );
      }
      for (const f of ["README.md", "LICENSE", "CHANGELOG.md"]) {
        try {
          await Deno.copyFile(`${root}${f}`, `${stage}/${f}`);
        } catch { /* optional file */ }
      }
      const archive = `backlog_${os}_${arch}.${os === "windows" ? "zip" : "tar.gz"}`;
      const a = os === "windows"
        ? await run("zip", ["-qr", `../${archive}`, "."], stage)
        : await run("tar", ["-czf", `dist/${archive}`, "-C", stage, "."]);
      if (!a.ok) fail(`archive ${archive} failed: ${a.out.trim()}`);
      sums.push(`${await sha256(`${root}dist/${archive}`)}  ${archive}`);
      console.error(`compile: built dist/${archive}`);
    }
  } finally {
    await Deno.writeTextFile(versionFile, original);
    await Deno.remove(config).catch(() => {});
  }
  await Deno.writeTextFile(`${root}dist/checksums.txt`, sums.join("\n") + "\n");
  console.error(`compile: ${sums.length} archive(s) and dist/checksums.txt (version ${version})`);
}

if (import.meta.main) {
  try {
    await main();
  } catch (err) {
    if (!(err instanceof CompileError)) throw err;
    console.error(`compile: ${err.message}`);
    Deno.exit(1);
  }
}
