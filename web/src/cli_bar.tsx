// The bar at the bottom: the CLI command that shows what the page shows.
import { useState } from "preact/hooks";
import { shq } from "./format.ts";

export function CliBar({ cmd }: { cmd: string }) {
  const [copied, setCopied] = useState(false);
  if (!cmd) return <footer class="cli-bar" />;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(cmd);
      setCopied(true);
      setTimeout(() => setCopied(false), 1200);
    } catch {
      // clipboard unavailable (insecure context): the text stays selectable
    }
  };
  return (
    <footer class="cli-bar" aria-label="Equivalent CLI command">
      <span class="prompt">$</span>
      <code class="cmd" data-testid="cli-command">{cmd}</code>
      <button type="button" class="ghost small" onClick={copy}>{copied ? "Copied" : "Copy"}</button>
    </footer>
  );
}

/** `backlog <words> --flag value …`: skips empty values, repeats a flag for each array value. */
export function cliCommand(
  words: string,
  flags: [string, string | number | boolean | string[] | undefined][],
) {
  const out = [`backlog ${words}`];
  for (const [k, v] of flags) {
    if (v === undefined || v === "" || v === false) continue;
    if (v === true) out.push(`--${k}`);
    else if (Array.isArray(v)) v.forEach((x) => out.push(`--${k} ${shq(x)}`));
    else out.push(`--${k} ${shq(String(v))}`);
  }
  return out.join(" ");
}
