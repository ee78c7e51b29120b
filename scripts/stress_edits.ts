/**
 * The editors' writes against the tasks' final fields, for scripts/stress_verify.ts.
 *
 * Each editor logs an attempt (`try`: k, seq, field, value, and the version it expects when guarded)
 * before the write leaves, then one outcome for that k:
 *   - acknowledged (`edit`, with the version the write made, read back inside its transaction);
 *   - refused (`stale`: the --expect-version guard said no; or an error the server answered with a
 *     4xx, or an application error in-process): nothing was written;
 *   - ambiguous: an error without an answer (network, the 30 s timeout), a 5xx or internal error, or
 *     no outcome at all (the editor was killed mid-write). The write may have committed, at any time
 *     after it left: a server finishes a request whose client gave up or died.
 *
 * A (task, field) with acknowledged writes passes when the task holds the value of the acknowledged
 * write with the highest version, or else the value of an ambiguous write that can have landed after
 * that one. Any ambiguous write can have (a request may sit on the server for longer than another
 * editor's whole write), except a guarded one that expected an older version: it could only commit
 * on top of that version, so before the acknowledged write, which the task would then show instead.
 * Anything else is a lost update. Values are unique per editor (`editor-N-i`) except priorities, so
 * a string field that holds a refused write's value is a refused write that landed.
 */
type Rec = Record<string, unknown> & { op: string };

export interface Attempt {
  editor: string;
  seq: number;
  field: string;
  value: unknown;
  /** The version a guarded write expected. */
  expect?: number;
  outcome: "acked" | "refused" | "ambiguous";
  /** The version an acknowledged write made. */
  version?: number;
}

/** Every edit attempt of every editor log, with its outcome. */
export function attempts(logs: { name: string; recs: Rec[] }[]): Attempt[] {
  const out: Attempt[] = [];
  for (const { name, recs } of logs) {
    const ends = new Map<unknown, Rec>();
    for (const r of recs) if (r.op !== "try" && r.k !== undefined) ends.set(r.k, r);
    for (const r of recs) {
      if (r.op !== "try") continue;
      const end = ends.get(r.k);
      const outcome = !end || (end.op === "error" && end.ambiguous !== false)
        ? "ambiguous"
        : end.op === "edit"
        ? "acked"
        : "refused";
      out.push({
        editor: name,
        seq: r.seq as number,
        field: r.field as string,
        value: r.value,
        expect: typeof r.expect === "number" ? r.expect : undefined,
        outcome,
        version: outcome === "acked" ? end!.version as number : undefined,
      });
    }
  }
  return out;
}

export interface EditCheck {
  /** (task, field)s whose highest acknowledged write is gone, with no ambiguous write to explain it. */
  lost: string[];
  /** String fields holding the value of a write that was refused. */
  refusedLanded: string[];
  /** (task, field)s that hold an ambiguous write's value instead of the last acknowledged one. */
  explained: number;
  acked: number;
  ambiguous: number;
  refused: number;
}

/** Checks the attempts against the tasks as they are now (by TASK-N). */
export function checkEdits(all: Attempt[], bySeq: Map<number, Record<string, unknown>>): EditCheck {
  const keys = new Map<string, Attempt[]>();
  for (const a of all) {
    const k = `${a.seq}/${a.field}`;
    keys.set(k, [...(keys.get(k) ?? []), a]);
  }
  const res: EditCheck = {
    lost: [],
    refusedLanded: [],
    explained: 0,
    acked: all.filter((a) => a.outcome === "acked").length,
    ambiguous: all.filter((a) => a.outcome === "ambiguous").length,
    refused: all.filter((a) => a.outcome === "refused").length,
  };
  for (const list of keys.values()) {
    const { seq, field } = list[0];
    const now = bySeq.get(seq)?.[field];
    const acked = list.filter((a) => a.outcome === "acked");
    const top = acked.reduce<Attempt | undefined>(
      (m, a) => (!m || a.version! > m.version! ? a : m),
      undefined,
    );
    if (top && now !== top.value) {
      const late = list.find((a) =>
        a.outcome === "ambiguous" && a.value === now && (a.expect === undefined || a.expect >= top.version!)
      );
      if (late) res.explained++;
      else {
        res.lost.push(
          `TASK-${seq}.${field}: ${top.editor} wrote ${JSON.stringify(top.value)} (v${top.version}), found ${
            JSON.stringify(now)
          }`,
        );
      }
    }
    if (typeof now === "string" && !list.some((a) => a.outcome !== "refused" && a.value === now)) {
      const r = list.find((a) => a.outcome === "refused" && a.value === now);
      if (r) {
        res.refusedLanded.push(`TASK-${seq}.${field} holds ${JSON.stringify(now)}, refused to ${r.editor}`);
      }
    }
  }
  return res;
}
