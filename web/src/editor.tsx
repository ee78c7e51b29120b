// A plain markdown editor: write / preview tabs and a status line (lines, words, token estimate).
import { useState } from "preact/hooks";
import { Markdown } from "./markdown.tsx";

export function MarkdownEditor({ value, onInput, label, rows = 8, placeholder, autofocus }: {
  value: string;
  onInput: (v: string) => void;
  label: string;
  rows?: number;
  placeholder?: string;
  autofocus?: boolean;
}) {
  const [preview, setPreview] = useState(false);
  const words = value.trim() ? value.trim().split(/\s+/).length : 0;
  const lines = value ? value.split("\n").length : 0;
  return (
    <div class="md-editor">
      <div class="md-tabs" role="tablist">
        <span class="md-label">{label}</span>
        <button
          type="button"
          role="tab"
          aria-selected={!preview}
          class={preview ? "" : "on"}
          onClick={() => setPreview(false)}
        >
          Write
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={preview}
          class={preview ? "on" : ""}
          onClick={() => setPreview(true)}
        >
          Preview
        </button>
      </div>
      {preview
        ? (
          <div class="md-preview">
            <Markdown text={value} />
          </div>
        )
        : (
          <textarea
            aria-label={label}
            data-autofocus={autofocus ? "" : undefined}
            rows={rows}
            value={value}
            placeholder={placeholder ?? "Markdown supported"}
            onInput={(e) => onInput(e.currentTarget.value)}
          />
        )}
      <div class="md-status muted small">
        {lines} lines · {words} words · ~{Math.ceil(value.length / 4)} tokens
      </div>
    </div>
  );
}
