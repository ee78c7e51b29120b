// The one golden-file check: `UPDATE_GOLDEN=1 deno test -A <file>` rewrites the files it compares.
import assert from "node:assert/strict";

/** Compares `actual` with the golden file at `url` (under tests/golden/); UPDATE_GOLDEN=1 rewrites it. */
export async function assertGolden(url: URL, actual: string): Promise<void> {
  if (Deno.env.get("UPDATE_GOLDEN") === "1") {
    await Deno.mkdir(new URL(".", url), { recursive: true });
    await Deno.writeTextFile(url, actual);
    return;
  }
  const want = await Deno.readTextFile(url).catch(() => {
    throw new Error(`missing golden ${url.pathname}; run the test with UPDATE_GOLDEN=1`);
  });
  assert.equal(actual, want, `golden ${url.pathname} differs (review, then UPDATE_GOLDEN=1 to accept)`);
}
