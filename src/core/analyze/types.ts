/**
 * The JSON shape of `mmm analyze --json` (documented in docs/analyze.md).
 * Stable: fields are only ever added; `version` changes if one is renamed or removed.
 */
export const ANALYSIS_VERSION = 1;

export const COMMAND_NAMES = ['build', 'test', 'lint', 'typecheck', 'format'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export interface LanguageStat {
  name: string;
  files: number;
  lines: number;
  /** Share of all lines in recognized languages, 0..1, three decimals. */
  share: number;
}

/** Where a detected command came from and whether init may write it uncommented. */
export interface CommandSource {
  command: string;
  /** e.g. "package.json scripts.test", "Makefile target test", "Cargo.toml". */
  source: string;
  /** false for guesses (no lockfile, a tool inferred from a config file only, …). */
  sure: boolean;
}

export interface GitFacts {
  branch: string | null;
  head: string | null;
  /** Entries in `git status --porcelain` (mmm's own .mmm/ excluded). */
  dirtyFiles: number;
  commits: number;
  /** Files changed most often in the last 500 commits. */
  hotspots: { path: string; changes: number }[];
}

export interface Workspace {
  /** npm, pnpm, yarn, bun, cargo, go */
  tool: string;
  /** Package directories relative to the root, sorted. */
  packages: string[];
}

export interface Analysis {
  version: typeof ANALYSIS_VERSION;
  root: string;
  analyzedAt: string;
  /** True when this result came from .mmm/cache/analysis.json. */
  cached: boolean;
  files: number;
  languages: LanguageStat[];
  primaryLanguage: string | null;
  packageManagers: string[];
  frameworks: string[];
  commands: Record<CommandName, string | null>;
  commandSources: Record<CommandName, CommandSource | null>;
  ci: string[];
  tests: { files: number; ratio: number };
  todos: number;
  largestFiles: { path: string; lines: number; bytes: number }[];
  git: GitFacts | null;
  workspaces: Workspace[];
  warnings: string[];
}

/** One command proposal from a detector. Higher `rank` wins. */
export interface CommandGuess {
  command: string;
  source: string;
  sure: boolean;
  /** 3 = task runner target (make, just), 2 = manifest script, 1 = ecosystem convention. */
  rank: 1 | 2 | 3;
}

export interface Detection {
  packageManagers?: string[];
  frameworks?: string[];
  commands?: Partial<Record<CommandName, CommandGuess>>;
  workspaces?: Workspace[];
  /** Languages this ecosystem is about, used to break ties between equal-rank commands. */
  languages?: string[];
}

/** What a detector may look at. Paths are relative to the root, with forward slashes. */
export interface DetectorContext {
  root: string;
  files: readonly string[];
  has(path: string): boolean;
  /** Files whose base name is `name`, anywhere (ignored files excluded). */
  named(name: string): string[];
  /** Directories that contain at least one listed file. */
  dirs(): ReadonlySet<string>;
  readText(path: string): Promise<string | null>;
  /** Parsed JSON; on a syntax error, records a warning and returns undefined. */
  readJson(path: string): Promise<unknown>;
  /** Parsed TOML; on a syntax error, records a warning and returns undefined. */
  readToml(path: string): Promise<Record<string, unknown> | undefined>;
  warn(message: string): void;
}

export type Detector = (ctx: DetectorContext) => Promise<Detection | null>;
