import { runCli } from "./src/cli/run.ts";
import { denoIo } from "./src/cli/io.ts";

if (import.meta.main) {
  if (Deno.args[0] === "__pg-keeper") {
    // The PostgreSQL connection keeper a one-shot command starts in the background (src/db/pg/keeper.ts).
    await (await import("./src/db/pg/keeper_main.ts")).keeperMain();
  } else Deno.exit(await runCli(Deno.args, denoIo()));
}
