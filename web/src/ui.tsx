// Shared UI pieces: app context, modal, toasts, confirm, badges.
import { type ComponentChildren, createContext } from "preact";
import { useContext, useEffect, useRef } from "preact/hooks";
import type { Project, Task } from "./types.ts";
import { priorityName } from "./format.ts";

export interface ToastMsg {
  id: number;
  text: string;
  kind: "ok" | "error";
}

export interface AppCtx {
  projects: Project[];
  /** The selected project alias, or "" for all projects. */
  project: string;
  setProject: (alias: string) => void;
  reloadProjects: () => void;
  toast: (text: string, kind?: "ok" | "error") => void;
  confirm: (text: string, ok?: string) => Promise<boolean>;
  setCli: (cmd: string) => void;
  setNewAction: (fn: (() => void) | null) => void;
}

export const App = createContext<AppCtx>(null as unknown as AppCtx);
export const useApp = () => useContext(App);

/** Publishes the page's equivalent CLI command and its `n` action while the page is shown. */
export function usePageChrome(cli: string, onNew?: () => void): void {
  const app = useApp();
  const fn = useRef(onNew);
  fn.current = onNew;
  useEffect(() => app.setCli(cli), [cli]);
  useEffect(() => {
    app.setNewAction(onNew ? () => fn.current?.() : null);
    return () => app.setNewAction(null);
  }, [!!onNew]);
}

/** Reports an error from a failed request as a toast. */
export function useFail(): (e: unknown) => void {
  const { toast } = useApp();
  return (e: unknown) => toast(e instanceof Error ? e.message : String(e), "error");
}

interface ModalProps {
  title: ComponentChildren;
  onClose: () => void;
  onSave?: () => void;
  saveLabel?: string;
  children: ComponentChildren;
  wide?: boolean;
  busy?: boolean;
  danger?: boolean;
}

/** A dialog: Escape closes the top one, Ctrl/Cmd+Enter saves, a click on the backdrop closes. */
export function Modal(
  { title, onClose, onSave, saveLabel = "Save", children, wide, busy, danger }: ModalProps,
) {
  const ref = useRef<HTMLDivElement>(null);
  const save = useRef(onSave);
  save.current = onSave;
  useEffect(() => {
    const prev = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>("[data-autofocus], input[name=title]") ??
      ref.current?.querySelector<HTMLElement>("input:not([type=checkbox]),textarea,select,button.primary");
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      const all = document.querySelectorAll(".backdrop");
      if (all[all.length - 1] !== ref.current?.parentElement) return;
      if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        onClose();
      } else if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && save.current) {
        e.preventDefault();
        save.current();
      }
    };
    addEventListener("keydown", onKey, true);
    return () => {
      removeEventListener("keydown", onKey, true);
      prev?.focus?.();
    };
  }, []);
  return (
    <div class="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div class={`modal${wide ? " wide" : ""}`} role="dialog" aria-modal="true" ref={ref}>
        <header>
          <h2>{title}</h2>
          <button type="button" class="icon" aria-label="Close" onClick={onClose}>×</button>
        </header>
        <div class="modal-body">{children}</div>
        {onSave && (
          <footer>
            <span class="muted small">Ctrl+Enter to {saveLabel.toLowerCase()} · Esc to close</span>
            <button type="button" onClick={onClose}>Cancel</button>
            <button
              type="button"
              class={danger ? "danger" : "primary"}
              disabled={busy}
              onClick={() => onSave()}
            >
              {saveLabel}
            </button>
          </footer>
        )}
      </div>
    </div>
  );
}

export function Toasts({ items }: { items: ToastMsg[] }) {
  return (
    <div class="toasts" role="status" aria-live="polite">
      {items.map((t) => <div key={t.id} class={`toast ${t.kind}`}>{t.text}</div>)}
    </div>
  );
}

export function Field(
  { label, children, hint }: { label: string; children: ComponentChildren; hint?: string },
) {
  return (
    <label class="field">
      <span>{label}</span>
      {children}
      {hint && <small class="muted">{hint}</small>}
    </label>
  );
}

export const StatusBadge = ({ s }: { s: Task["status"] }) => (
  <span class={`badge st-${s}`}>
    <i class="dot" />
    {s}
  </span>
);
export const PriorityBadge = ({ p }: { p: number }) => (
  <span class={`badge pr pr-${p}`} title={priorityName(p)}>P{p}</span>
);
export const TypeBadge = ({ t }: { t: string }) => <span class="badge ty">{t}</span>;

export function LabelPills({ labels, onRemove }: { labels?: string[]; onRemove?: (l: string) => void }) {
  if (!labels?.length) return null;
  return (
    <span class="pills">
      {labels.map((l) => (
        <span class="pill" key={l}>
          {l}
          {onRemove && (
            <button
              type="button"
              class="x"
              aria-label={`Remove label ${l}`}
              onClick={() => onRemove(l)}
            >
              ×
            </button>
          )}
        </span>
      ))}
    </span>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}

export function ErrorNote({ error }: { error?: Error }) {
  return error ? <div class="error-note">{error.message}</div> : null;
}
