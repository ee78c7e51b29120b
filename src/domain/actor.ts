import { ACTOR_KINDS, type ActorKind } from "./enums.ts";
import { usage } from "./errors.ts";
import { escapeControls, unsafeChar, visibleChar } from "./text.ts";

/** Who made a write: `human:alice`, `ai:claude-code`. */
export interface Actor {
  kind: ActorKind;
  name: string;
}

/**
 * Parses `kind:name` (split on the first colon). The name is one word: no whitespace and none of
 * the characters names may not hold (`unsafeChar`), since it is printed in every activity line.
 * Raises usage for any other shape.
 */
export function parseActor(v: string, source = "--as"): Actor {
  const i = v.indexOf(":");
  const kind = (i < 0 ? "" : v.slice(0, i)).trim().toLowerCase();
  const name = (i < 0 ? v : v.slice(i + 1)).trim();
  if (i < 0 || !(ACTOR_KINDS as readonly string[]).includes(kind)) {
    throw usage(`${source}: invalid actor "${escapeControls(v)}" (use human:<name> or ai:<name>)`);
  }
  if (!name) {
    throw usage(`${source}: actor name is empty in "${escapeControls(v)}" (use human:<name> or ai:<name>)`);
  }
  const bad = /\s/.exec(name)?.[0] ?? unsafeChar(name);
  if (bad !== undefined) {
    throw usage(
      `${source}: actor name "${escapeControls(name)}" contains ${
        bad === " " ? "a space" : visibleChar(bad)
      } ` +
        `(an actor name is one word without spaces or control characters, e.g. human:alice-bob)`,
    );
  }
  return { kind: kind as ActorKind, name };
}

export function formatActor(a: Actor): string {
  return `${a.kind}:${a.name}`;
}
