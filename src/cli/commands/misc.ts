import { type CommandSpec, defineCommand } from "../spec.ts";
import { FROM_SOURCE, VERSION, VERSION_TEXT } from "../../version.ts";
import { EXIT_CODES, helpText } from "../help.ts";
import { findSub } from "../parse.ts";
import { usage } from "../../domain/errors.ts";

export const versionCommand = defineCommand({
  name: "version",
  summary: "Print the version",
  db: false,
  run: () => ({ data: { version: VERSION, source: FROM_SOURCE }, text: `backlog ${VERSION_TEXT}` }),
});

/** `backlog help [command…]` and `backlog help exit-codes`; needs the root to walk. */
export function helpCommand(root: () => CommandSpec): CommandSpec {
  return {
    name: "help",
    summary: "Help for any command, and `help exit-codes`",
    db: false,
    args: [{ name: "command", variadic: true }],
    run(ctx) {
      if (ctx.args[0] === "exit-codes") return { text: EXIT_CODES };
      let cmd = root();
      const path: string[] = [];
      for (const a of ctx.args) {
        const sub = findSub(cmd, a);
        if (!sub) throw usage(`unknown help topic "${ctx.args.join(" ")}"`, "run `backlog help`");
        cmd = sub;
        path.push(sub.name);
      }
      return { text: helpText(cmd, path) };
    },
  };
}
