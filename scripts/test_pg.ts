// deno-lint-ignore-file no-console
/**
 * `deno task test:pg`: the storage suites (and the surface tests that pass there) again, on PostgreSQL. Every test there opens its database
 * through tests/helpers (testApp, openTestApp, workspace), which, under BACKLOG_TEST_ENGINE=postgres,
 * makes a fresh database on `$BACKLOG_TEST_PG` for each test. Without a server the run is skipped
 * with one line; under CI=true that is a failure, so CI never silently drops the PostgreSQL half.
 */
const SUITES = ["tests/services", "tests/interchange", "tests/cli", "tests/http", "tests/mcp"];

const url = Deno.env.get("BACKLOG_TEST_PG") ?? "";
if (!url) {
  if (Deno.env.get("CI") === "true") {
    console.error("test:pg: CI=true but BACKLOG_TEST_PG is not set: the postgres suites must run in CI");
    Deno.exit(1);
  }
  console.error("test:pg: skipped, set BACKLOG_TEST_PG to a server URL where tests may create databases");
  Deno.exit(0);
}
const extra = Deno.args.length ? Deno.args : SUITES;
const { code } = await new Deno.Command(Deno.execPath(), {
  args: ["test", "-A", "--parallel", ...extra],
  env: { BACKLOG_TEST_ENGINE: "postgres" },
  stdout: "inherit",
  stderr: "inherit",
}).output();
Deno.exit(code);
