import { runCli } from "./src/cli/run.ts";
import { denoIo } from "./src/cli/io.ts";

if (import.meta.main) {
  Deno.exit(await runCli(Deno.args, denoIo()));
}
