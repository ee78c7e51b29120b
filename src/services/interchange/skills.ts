import { AppError, usage } from "../../domain/errors.ts";
import { describeFsError, statIf } from "../../fs.ts";

/**
 * `backlog install-skills`: copies the skills in `skills/<name>/SKILL.md` (embedded in the binary)
 * into the AI coding tools found under $HOME, with the original's destinations and transforms.
 */

export interface Skill {
  name: string;
  description: string;
  /** The file without its frontmatter. */
  body: string;
  /** The file as written (frontmatter included). */
  text: string;
}

export const SKILLS_DIR = new URL("../../../skills/", import.meta.url);

/** Splits `---\nkey: value\n---\n` frontmatter from a markdown file. */
export function frontmatter(text: string): { meta: Record<string, string>; body: string } {
  const m = text.match(/^---\r?\n([\s\S]*?)\r?\n---\r?\n?/);
  if (!m) return { meta: {}, body: text };
  const meta: Record<string, string> = {};
  for (const line of m[1].split(/\r?\n/)) {
    const kv = line.match(/^([A-Za-z_][\w-]*):\s*(.*)$/);
    if (kv) meta[kv[1]] = kv[2].trim().replace(/^(["'])(.*)\1$/, "$2");
  }
  return { meta, body: text.slice(m[0].length).replace(/^\r?\n/, "") };
}

/** Every skill, `backlog` first and the others by name. Raises internal when the folder is missing. */
export function loadSkills(dir: URL = SKILLS_DIR): Skill[] {
  const out: Skill[] = [];
  try {
    for (const e of Deno.readDirSync(dir)) {
      if (!e.isDirectory) continue;
      let text: string;
      try {
        text = Deno.readTextFileSync(new URL(`${e.name}/SKILL.md`, dir));
      } catch {
        continue;
      }
      const { meta, body } = frontmatter(text);
      const name = meta.name || e.name;
      out.push({ name, description: meta.description || `Backlog ${name} skill`, body, text });
    }
  } catch (err) {
    throw new AppError("internal", `skills folder missing: ${(err as Error).message}`);
  }
  return out.sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const rank = (n: string) => n === "backlog" ? 0 : 1;

export interface Target {
  tool: string;
  /** Detected when this directory exists under $HOME. */
  detect: string;
  dest(name: string): string;
  render(s: Skill): string;
}

export const TARGETS: Target[] = [
  {
    tool: "Claude Code",
    detect: ".claude",
    dest: (n) => `.claude/skills/${n}/SKILL.md`,
    render: (s) => s.text,
  },
  {
    tool: "Cursor",
    detect: ".cursor",
    dest: (n) => `.cursor/rules/${n}.mdc`,
    render: (s) => {
      const d = s.description.length > 200 ? s.description.slice(0, 197) + "..." : s.description;
      return `---\ndescription: ${d}\nglobs:\nalwaysApply: false\n---\n\n${s.body}`;
    },
  },
  {
    tool: "OpenCode",
    detect: ".config/opencode",
    dest: (n) => `.config/opencode/skills/${n}/SKILL.md`,
    render: (s) => s.text,
  },
  {
    tool: "Codex",
    detect: ".codex",
    dest: (n) => `.codex/skills/${n}/SKILL.md`,
    render: (s) => `---\nname: ${s.name}\ndescription: ${s.description}\n---\n\n${s.body}`,
  },
];

export interface InstallOptions {
  home: string;
  force?: boolean;
  dryRun?: boolean;
  all?: boolean;
  /** Only these skills (names). */
  skills?: string[];
}

export interface InstallFile {
  path: string;
  action: "wrote" | "skip" | "would write";
  bytes: number;
}

export interface InstallResult {
  dry_run: boolean;
  /** False when no tool was detected and --all was not given (nothing was written). */
  detected: boolean;
  targets: { tool: string; dir: string; detected: boolean; files: InstallFile[] }[];
}

const isDir = (p: string) => {
  try {
    return Deno.statSync(p).isDirectory;
  } catch {
    return false;
  }
};

const exists = (p: string) => statIf(p) !== undefined;

/** Installs skills into every detected tool (or all with `all`). Raises usage (unknown skill), invalid. */
export function installSkills(o: InstallOptions, skills: Skill[] = loadSkills()): InstallResult {
  const wanted = o.skills?.length ? o.skills : undefined;
  if (wanted) {
    const unknown = wanted.filter((n) => !skills.some((s) => s.name === n));
    if (unknown.length) {
      throw usage(
        `unknown skill(s): [${unknown.join(" ")}]`,
        `known: ${skills.map((s) => s.name).join(", ")}`,
      );
    }
  }
  const chosen = wanted ? skills.filter((s) => wanted.includes(s.name)) : skills;
  const targets = TARGETS.map((t) => ({ t, detected: isDir(`${o.home}/${t.detect}`) }));
  const result: InstallResult = {
    dry_run: !!o.dryRun,
    detected: targets.some((x) => x.detected),
    targets: [],
  };
  for (const { t, detected } of targets) {
    if (!detected && !o.all) continue;
    const files: InstallFile[] = [];
    for (const s of chosen) {
      const rel = t.dest(s.name);
      const abs = `${o.home}/${rel}`;
      const text = t.render(s);
      const bytes = new TextEncoder().encode(text).length;
      if (exists(abs) && !o.force) files.push({ path: `~/${rel}`, action: "skip", bytes });
      else if (o.dryRun) files.push({ path: `~/${rel}`, action: "would write", bytes });
      else {
        try {
          Deno.mkdirSync(abs.slice(0, abs.lastIndexOf("/")), { recursive: true, mode: 0o755 });
          Deno.writeTextFileSync(abs, text);
        } catch (err) {
          throw new AppError("invalid", `install-skills: cannot write "~/${rel}": ${describeFsError(err)}`);
        }
        files.push({ path: `~/${rel}`, action: "wrote", bytes });
      }
    }
    result.targets.push({ tool: t.tool, dir: `~/${t.detect}`, detected, files });
  }
  return result;
}
