// Toolbar controls: "+ Filter" popover with multi-select properties, chips, sort, archived, clear.
import type { RefObject } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { TASK_STATUSES, TASK_TYPES } from "../../src/domain/enums.ts";
import { setQuery } from "./router.tsx";
import { FILTER_KEYS, type FilterKey, hasFilters, type TaskQuery } from "./task_query.ts";
import { priorityName } from "./format.ts";

const TITLES: Record<FilterKey, string> = {
  status: "Status",
  type: "Type",
  priority: "Priority",
  label: "Label",
};
const SORTS: [string, string][] = [
  ["", "Priority"],
  ["created", "Created"],
  ["updated", "Updated"],
  ["seq", "Ref"],
  ["title", "Title"],
];

function options(key: FilterKey, labels: string[]): [string, string][] {
  if (key === "status") return TASK_STATUSES.map((s) => [s, s]);
  if (key === "type") return TASK_TYPES.map((t) => [t, t]);
  if (key === "priority") return [1, 2, 3, 4, 5].map((p) => [String(p), priorityName(p)]);
  return labels.map((l) => [l, l]);
}

function toggle(q: TaskQuery, key: FilterKey, value: string) {
  const cur = q[key];
  setQuery({ [key]: cur.includes(value) ? cur.filter((v) => v !== value) : [...cur, value] });
}

/** Closes a popover on an outside click or Escape. */
function usePopover(): [boolean, (v: boolean) => void, RefObject<HTMLDivElement>] {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => !ref.current?.contains(e.target as Node) && setOpen(false);
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    addEventListener("mousedown", onDown);
    addEventListener("keydown", onKey);
    return () => {
      removeEventListener("mousedown", onDown);
      removeEventListener("keydown", onKey);
    };
  }, [open]);
  return [open, setOpen, ref];
}

export function FilterBar({ q, labels }: { q: TaskQuery; labels: string[] }) {
  const [open, setOpen, ref] = usePopover();
  const chips = FILTER_KEYS.filter((k) => q[k].length > 0);
  return (
    <>
      <div class="popover-wrap" ref={ref}>
        <button
          type="button"
          class={chips.length ? "on" : ""}
          onClick={() => setOpen(!open)}
          aria-expanded={open}
        >
          + Filter
        </button>
        {open && (
          <div class="popover filters" role="dialog" aria-label="Filters">
            {FILTER_KEYS.map((key) => (
              <fieldset key={key}>
                <legend>{TITLES[key]}</legend>
                {options(key, labels).map(([value, text]) => (
                  <label key={value} class="check">
                    <input
                      type="checkbox"
                      name={key}
                      value={value}
                      checked={q[key].includes(value)}
                      onChange={() => toggle(q, key, value)}
                    />
                    {text}
                  </label>
                ))}
                {key === "label" && labels.length === 0 && <span class="muted small">No labels yet</span>}
                {key === "label" && q.label.length > 1 && (
                  <label class="check match">
                    <input
                      type="checkbox"
                      checked={q.labelAll}
                      onChange={() => setQuery({ label_match: q.labelAll ? undefined : "all" })}
                    />
                    Match all selected labels
                  </label>
                )}
              </fieldset>
            ))}
          </div>
        )}
      </div>
      {chips.map((key) => (
        <span class="chip" key={key} data-testid={`chip-${key}`}>
          <b>{TITLES[key]}</b>
          {key === "priority"
            ? q[key].map((p) => `P${p}`).join(", ")
            : q[key].join(key === "label" && q.labelAll ? " & " : ", ")}
          <button
            type="button"
            class="x"
            aria-label={`Clear ${TITLES[key]} filter`}
            onClick={() => setQuery({ [key]: [] })}
          >
            ×
          </button>
        </span>
      ))}
      <span class="spacer" />
      <label class="inline">
        <span class="muted small">Sort</span>
        <select
          aria-label="Sort by"
          value={q.sort}
          onChange={(e) => setQuery({ sort: e.currentTarget.value, order: undefined })}
        >
          {SORTS.map(([v, t]) => <option key={v} value={v}>{t}</option>)}
        </select>
      </label>
      <button
        type="button"
        class="icon-text"
        title="Sort order"
        aria-label={`Order ${q.order || "default"}`}
        onClick={() => setQuery({ order: q.order === "desc" ? "asc" : "desc" })}
      >
        {q.order === "desc" ? "↓" : q.order === "asc" ? "↑" : "↕"}
      </button>
      <button
        type="button"
        class={q.archived ? "on" : ""}
        aria-pressed={q.archived}
        onClick={() => setQuery({ archived: q.archived ? undefined : "1" }, false)}
      >
        Archived
      </button>
      {hasFilters(q) && (
        <button
          type="button"
          class="ghost"
          onClick={() =>
            setQuery({
              status: [],
              type: [],
              priority: [],
              label: [],
              label_match: undefined,
              q: undefined,
              archived: undefined,
            })}
        >
          Clear all
        </button>
      )}
    </>
  );
}
