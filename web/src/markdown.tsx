// Markdown through `marked`, with raw HTML shown as text and only safe link targets kept.
import { Marked, type Tokens } from "marked";

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]);

/** http(s), mailto, in-page and same-site paths only: no `javascript:`, `data:` or other schemes. */
export function safeHref(href: string): string | null {
  // Browsers drop whitespace and control characters inside a scheme ("java\tscript:"), so do we first.
  // deno-lint-ignore no-control-regex
  const h = href.replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
  if (/^(https?:|mailto:)/i.test(h)) return h;
  if (/^[/\\]{2}/.test(h)) return null; // protocol-relative: another host
  if (/^[a-z][a-z0-9+.-]*:/i.test(h)) return null;
  return h;
}

const md = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    html(t: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(t.text);
    },
    link(this: { parser: { parseInline(t: Tokens.Generic[]): string } }, t: Tokens.Link) {
      const text = this.parser.parseInline(t.tokens);
      const href = safeHref(t.href);
      if (!href) return text;
      const title = t.title ? ` title="${escapeHtml(t.title)}"` : "";
      return `<a href="${escapeHtml(href)}"${title} target="_blank" rel="noopener noreferrer">${text}</a>`;
    },
    image(t: Tokens.Image) {
      // Only the workspace's own attachments load inline: no requests to other hosts.
      if (t.href.startsWith("/api/attachments/")) {
        return `<img src="${escapeHtml(t.href)}" alt="${escapeHtml(t.text)}">`;
      }
      return escapeHtml(t.text ? `[${t.text}]` : "");
    },
  },
});

/** Renders markdown to an HTML string that contains no author-supplied tags or attributes. */
export function renderMarkdown(src: string): string {
  return md.parse(src ?? "", { async: false }) as string;
}

export function Markdown({ text, class: cls = "" }: { text: string; class?: string }) {
  if (!text?.trim()) return <p class="muted empty-md">Nothing written yet.</p>;
  return <div class={`md ${cls}`} dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }} />;
}
