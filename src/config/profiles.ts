import { AppError, invalid, notFound } from "../domain/errors.ts";
import type { ConfigFile, Env } from "./config.ts";
import { expandHome, refuseNonPath, serverDir } from "./workspace.ts";
import { isPgUrl, redactUrl } from "../db/url.ts";

/** A registered workspace: a name and its directory (as stored, and resolved). */
export interface Profile {
  name: string;
  /** As stored in the config (may start with `~/`); a server URL with its password hidden. */
  path: string;
  /** `~` expanded, absolute; for a server, the local directory of its config (see serverDir). */
  dir: string;
  default: boolean;
  /** The profile names a PostgreSQL server (`path` is a `postgres://` URL). */
  server?: boolean;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Validates a profile name: the one rule of `init --profile` and `profile add`. Raises invalid. */
export function validateProfileName(name: string, field = ""): string {
  const n = (name ?? "").trim();
  if (!NAME.test(n)) {
    const at = field ? `${field}: ` : "";
    throw invalid(`${at}invalid profile name "${name}" (letters, digits, dot, dash, underscore; max 64)`);
  }
  return n;
}

/** The resolved directory of a stored profile path. */
export function profileDir(path: string, env: Env, cwd: string): string {
  const p = expandHome(path, env);
  return (p.startsWith("/") ? p : `${cwd}/${p}`).replace(/\/+$/, "") || "/";
}

/** Every profile, sorted by name (deterministic, unlike the original's map order). */
export function listProfiles(cfg: ConfigFile, env: Env, cwd: string): Profile[] {
  return Object.entries(cfg.profiles ?? {})
    .filter(([, p]) => typeof p?.path === "string")
    .sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
    .map(([name, p]) =>
      isPgUrl(p.path)
        ? {
          name,
          path: redactUrl(p.path),
          dir: serverDir(p.path, env),
          default: cfg.default_profile === name,
          server: true,
        }
        : { name, path: p.path, dir: profileDir(p.path, env, cwd), default: cfg.default_profile === name }
    );
}

/** One profile. Raises not_found. */
export function getProfile(cfg: ConfigFile, name: string, env: Env, cwd: string): Profile {
  const p = listProfiles(cfg, env, cwd).find((x) => x.name === name.trim());
  if (!p) throw notFound(`profile "${name}" not found`, "run `backlog profile list` to see profiles");
  return p;
}

/**
 * Registers a profile. A relative path is stored absolute (resolved now, not at every later use);
 * a `~/` path or a `postgres://` URL is kept as typed. Raises invalid (name, empty path), conflict (name taken).
 */
export function addProfile(cfg: ConfigFile, name: string, path: string, env: Env, cwd: string): Profile {
  const n = validateProfileName(name);
  const raw = (path ?? "").trim();
  if (!raw) throw invalid("--path is required");
  refuseNonPath(raw, "--path");
  if (cfg.profiles?.[n]) throw new AppError("conflict", `profile "${n}" already exists`);
  const stored = isPgUrl(raw) || raw === "~" || raw.startsWith("~/")
    ? raw.replace(/\/+$/, "") || "~"
    : profileDir(raw, env, cwd);
  cfg.profiles = { ...cfg.profiles, [n]: { path: stored } };
  return getProfile(cfg, n, env, cwd);
}

/** Makes a profile the default. Raises not_found. */
export function setDefaultProfile(cfg: ConfigFile, name: string, env: Env, cwd: string): Profile {
  const p = getProfile(cfg, name, env, cwd);
  cfg.default_profile = p.name;
  return { ...p, default: true };
}

/** Clears the default profile; returns the one that was default (if any). */
export function clearDefaultProfile(cfg: ConfigFile): string | undefined {
  const was = cfg.default_profile;
  delete cfg.default_profile;
  return was;
}

/** Removes a profile's registration (never its files); clears the default when it pointed there. Raises not_found. */
export function removeProfile(
  cfg: ConfigFile,
  name: string,
  env: Env,
  cwd: string,
): Profile & { cleared_default: boolean } {
  const p = getProfile(cfg, name, env, cwd);
  const profiles = { ...cfg.profiles };
  delete profiles[p.name];
  cfg.profiles = profiles;
  const cleared = cfg.default_profile === p.name;
  if (cleared) delete cfg.default_profile;
  return { ...p, cleared_default: cleared };
}
