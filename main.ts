import { RESIDENT_ARG, startResident, viaResident } from "./src/cli/resident/client.ts";

if (import.meta.main) {
  const main = new URL("./main.ts", import.meta.url);
  if (Deno.args[0] === "__pg-keeper") {
    // The PostgreSQL connection keeper a one-shot command starts in the background (src/db/pg/keeper.ts).
    await (await import("./src/db/pg/keeper_main.ts")).keeperMain();
  } else if (Deno.args[0] === RESIDENT_ARG) {
    // The resident process a command starts in the background (src/cli/resident/client.ts).
    await (await import("./src/cli/resident/server.ts")).residentMain(main);
  } else {
    const offer = await viaResident(Deno.args, main);
    if (offer.code !== undefined) Deno.exit(offer.code);
    const [{ runCli }, { denoIo }] = await Promise.all([
      import("./src/cli/run.ts"),
      import("./src/cli/io.ts"),
    ]);
    const code = await runCli(Deno.args, denoIo());
    if (offer.start) startResident(main);
    Deno.exit(code);
  }
}
