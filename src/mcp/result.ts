import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { toAppError } from "../domain/errors.ts";
import { MCP_HINTS } from "./hints.ts";

/** A successful tool result: the JSON value for programs plus a compact text for the model. */
export function ok(data: Record<string, unknown>, text: string): CallToolResult {
  return { content: [{ type: "text", text }], structuredContent: data };
}

/**
 * Maps anything thrown by a service to an `isError` result: `<code>: <message>` (plus the hint
 * and, on a conflict, the current state), so the agent can correct itself instead of the
 * request failing at the protocol level.
 */
export function fail(err: unknown): CallToolResult {
  const e = toAppError(err);
  const message = e.messageIn(MCP_HINTS);
  const error: Record<string, unknown> = { code: e.code, message };
  const hint = e.hintIn(MCP_HINTS);
  if (hint) error.hint = hint;
  if (e.details) Object.assign(error, e.details);
  let text = `error (${e.code}): ${message}`;
  if (hint) text += `\nhint: ${hint}`;
  const current = e.details?.current as { ref?: string; version?: number; status?: string } | undefined;
  if (current?.ref) text += `\ncurrent: ${current.ref} v${current.version} ${current.status}`;
  return { content: [{ type: "text", text }], structuredContent: { error }, isError: true };
}
