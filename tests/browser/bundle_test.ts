// The web UI's download budget: index.html + app.js + app.css stay within 80 KB gzip (the cockpit's
// pages and charts included). `deno run -A scripts/bench_web.ts` prints the same figure.
import assert from "node:assert/strict";
import { buildWeb, webBundleSize } from "../../scripts/build_web.ts";

Deno.test("buildWeb() keeps the whole bundle within 80 KB gzip", async () => {
  await buildWeb({ ifStale: true });
  const s = await webBundleSize();
  assert.ok(s.gzip <= 80 * 1024, `bundle is ${(s.gzip / 1024).toFixed(1)} KB gzip, over the 80 KB budget`);
  assert.ok(s.js > 0 && s.css > 0 && s.html > 0);
});
