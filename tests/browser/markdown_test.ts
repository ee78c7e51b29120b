// The web UI's markdown renderer: marked with raw HTML shown as text and only safe links kept.
import assert from "node:assert/strict";
import { renderMarkdown, safeHref } from "../../web/src/markdown.tsx";

Deno.test("markdown renders emphasis, lists, code and tables", () => {
  const html = renderMarkdown("**bold** and `code`\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |");
  assert.match(html, /<strong>bold<\/strong>/);
  assert.match(html, /<code>code<\/code>/);
  assert.match(html, /<li>two<\/li>/);
  assert.match(html, /<td>2<\/td>/);
});

Deno.test("markdown shows raw HTML blocks and inline tags as text", () => {
  const html = renderMarkdown('<script>alert(1)</script>\n\nhi <img src=x onerror="alert(1)"> there');
  assert.doesNotMatch(html, /<script|<img/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /&lt;img src=x onerror=&quot;alert\(1\)&quot;&gt;/);
});

Deno.test("markdown drops javascript:, data: and protocol-relative links but keeps their text", () => {
  for (const href of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x"]) {
    const html = renderMarkdown(`[click](${href})`);
    assert.doesNotMatch(html, /<a /, href);
    assert.match(html, /click/);
  }
  assert.equal(safeHref("java\tscript:alert(1)"), null);
  assert.equal(safeHref("//evil.example/x"), null);
  assert.equal(safeHref("/\\evil.example/x"), null);
});

Deno.test("markdown keeps http(s), mailto and relative links, opening in a new tab", () => {
  const html = renderMarkdown("[a](https://example.com/x?y=1) [b](mailto:me@example.com) [c](/tasks/TASK-1)");
  assert.match(
    html,
    /<a href="https:\/\/example.com\/x\?y=1" target="_blank" rel="noopener noreferrer">a<\/a>/,
  );
  assert.match(html, /href="mailto:me@example.com"/);
  assert.match(html, /href="\/tasks\/TASK-1"/);
});

Deno.test("markdown loads images only from the workspace's own attachments", () => {
  assert.doesNotMatch(renderMarkdown("![pic](https://tracker.example/p.png)"), /<img/);
  assert.match(
    renderMarkdown("![pic](/api/attachments/01ABC)"),
    /<img src="\/api\/attachments\/01ABC" alt="pic">/,
  );
});
