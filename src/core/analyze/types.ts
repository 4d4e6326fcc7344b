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

/**
 * How much a command is to be trusted. `verified`: `mmm analyze --verify` ran it and it
 * ran (passing, or failing with counted failures). `conventional`: the project names it
 * (a script, a target) or its ecosystem's convention applies, backed by the files in
 * `evidence`. `guess`: something was assumed, or a run showed it cannot run.
 */
export type Confidence = 'verified' | 'conventional' | 'guess';
export const CONFIDENCES: readonly Confidence[] = ['verified', 'conventional', 'guess'];

/** A file (and the line or key in it) that supports a detected command. */
export interface Evidence {
  /** Relative to the analyzed root, forward slashes. */
  file: string;
  /** 1-based line, when the key or target was found in the file. */
  line?: number;
  /** e.g. "scripts.test", "tool.ruff.fix", "target fmt". */
  key?: string;
}

/** What `mmm analyze --verify` saw when it ran a command in a temporary worktree. */
export interface Verification {
  /** passes: exit 0; fails: ran and exited non-zero; cannot-run: 126/127, a missing tool. */
  status: 'passes' | 'fails' | 'cannot-run' | 'timed-out';
  exitCode: number | null;
  /** Failed tests, when a per-test report or the console said (test command only). */
  failures?: number;
  /** Tests that ran, when known. */
  tests?: number;
  /** For cannot-run: what is missing and how to install it. */
  hint?: string;
  durationMs: number;
  /** The last lines of the output (at most 1,000 characters). */
  tail: string;
}

/** Where a detected command came from and whether init may write it uncommented. */
export interface CommandSource {
  command: string;
  /** e.g. "package.json scripts.test", "Makefile target test", "Cargo.toml". */
  source: string;
  /** false for guesses (no lockfile, a tool inferred from a config file only, …). */
  sure: boolean;
  /** Evidence-based sureness (docs/analyze.md); `sure` is `confidence !== "guess"`. */
  confidence: Confidence;
  /** The files (line, key) that led to this command. */
  evidence: Evidence[];
  /** Why this command and not another: commands set aside, suites chained. */
  notes?: string[];
  /** Set by `mmm analyze --verify`. */
  verification?: Verification;
}

export interface GitFacts {
  branch: string | null;
  head: string | null;
  /** Entries in `git status --porcelain` (mmm's own .mmm/ excluded). */
  dirtyFiles: number;
  commits: number;
  /** Set when the history is longer than `commits` (counting stopped at 10,000). */
  commitsCapped?: true;
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
  /** Set by `mmm analyze --verify`: when and at which commit the commands were run. */
  verified?: { at: string; head: string | null; timeoutSec: number };
}

/** One command proposal from a detector. Higher `rank` wins. */
export interface CommandGuess {
  command: string;
  source: string;
  sure: boolean;
  /** 3 = task runner target (make, just), 2 = manifest script, 1 = ecosystem convention. */
  rank: 1 | 2 | 3;
  /** Supporting files; when absent, derived from a file named at the start of `source`. */
  evidence?: Evidence[];
  notes?: string[];
}

export interface Detection {
  packageManagers?: string[];
  frameworks?: string[];
  commands?: Partial<Record<CommandName, CommandGuess>>;
  workspaces?: Workspace[];
  /** Languages this ecosystem is about, used to break ties between equal-rank commands. */
  languages?: string[];
  /** The manifest a command's evidence falls back to when a rule named no file. */
  manifest?: string;
  /** Commands considered and rejected, with the reason (shown as notes of the winner). */
  setAside?: SetAside;
}

export type SetAside = Partial<Record<CommandName, string[]>>;

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
  /** The nearest file named `name` in a parent directory up to the git top, if any. */
  upward(name: string): string | null;
  /** Test files per language (for choosing and chaining suites in polyglot repos). */
  testFiles: ReadonlyMap<string, number>;
}

export type Detector = (ctx: DetectorContext) => Promise<Detection | null>;
