import { defineCommand } from "../spec.ts";
import { usage } from "../../domain/errors.ts";

const ALIASES: Record<string, string> = {
  findings: "findings_file",
  export: "export_file",
  task_create: "task_input",
  backlog_json: "manifest",
};

export const schemaCommand = defineCommand({
  name: "schema",
  summary: "Print the JSON Schema of a payload (task, task_input, findings_file, manifest, …)",
  description: "Print the JSON Schema (draft 2020-12) of a payload Backlog accepts or returns, generated " +
    "from the same zod schemas the importers and servers validate with. Without a name, list the names.",
  args: [{ name: "name" }],
  db: false,
  examples: ["backlog schema", "backlog schema findings_file > findings.schema.json"],
  async run(ctx) {
    const { jsonSchema, schemaIndex, SCHEMAS } = await import("../../domain/schema_catalog.ts");
    const arg = ctx.args[0];
    if (!arg) {
      const index = schemaIndex();
      const w = Math.max(...index.map((s) => s.name.length)) + 2;
      return {
        data: { schemas: index },
        text: index.map((s) => `${s.name.padEnd(w)}${s.description}`).join("\n") +
          "\n\nRun `backlog schema <name>` for one schema.",
      };
    }
    const key = arg.trim().toLowerCase().replaceAll("-", "_");
    const name = ALIASES[key] ?? key;
    if (!SCHEMAS[name]) {
      throw usage(`unknown schema "${arg}"`, `known: ${Object.keys(SCHEMAS).join(", ")}`);
    }
    const schema = jsonSchema(name);
    return { data: schema, text: JSON.stringify(schema, null, 2) };
  },
});
