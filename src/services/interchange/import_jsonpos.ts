import { lineColumn } from "./json_text.ts";

/**
 * Where a JSON path (`master.tasks[3].title`) sits in valid JSON text, as a 1-based line and column:
 * the value at the path, or the deepest enclosing value that exists (a missing key points at its
 * object). Used to give a schema problem found after parsing the same file:line:column as a syntax error.
 */
export function jsonPosition(text: string, path: string): { line: number; column: number } {
  const segs: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) segs.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const skipString = () => {
    for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    i++;
  };
  const skipValue = (): void => {
    ws();
    const open = text[i];
    if (open === '"') return skipString();
    if (open !== "{" && open !== "[") {
      while (i < text.length && !",}] \t\n\r".includes(text[i])) i++;
      return;
    }
    let depth = 0;
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '"') (skipString(), i--);
      else if (c === "{" || c === "[") depth++;
      else if ((c === "}" || c === "]") && --depth === 0) return void i++;
    }
  };
  /** Moves i to the value of `seg` inside the container at i; false when it is not there. */
  const enter = (seg: string | number): boolean => {
    ws();
    const start = i;
    const isObj = text[i] === "{";
    if ((isObj && typeof seg !== "string") || (text[i] === "[" && typeof seg !== "number")) return false;
    if (!isObj && text[i] !== "[") return false;
    i++;
    for (let k = 0;; k++) {
      ws();
      if (text[i] === "}" || text[i] === "]" || i >= text.length) return (i = start, false);
      let hit = k === seg;
      if (isObj) {
        const from = i;
        skipString();
        hit = JSON.parse(text.slice(from, i)) === seg;
        ws();
        i++; // ':'
      }
      ws();
      if (hit) return true;
      skipValue();
      ws();
      if (text[i] === ",") i++;
    }
  };
  for (const seg of segs) if (!enter(seg)) break;
  ws();
  return lineColumn(text, i);
}
