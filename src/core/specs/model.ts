/** The in-memory model of a spec file (format: docs/specs.md). */
export const SPEC_STATUSES = [
  'draft',
  'ready',
  'in-progress',
  'done',
  'failed',
  'blocked',
] as const;
export type SpecStatus = (typeof SPEC_STATUSES)[number];

export const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** A check the runtime runs after each attempt. `line` is 1-based in the spec file. */
export type SpecCheck =
  | { kind: 'run'; run: string; expectExit: number; timeout?: number; line: number }
  | { kind: 'file_exists'; path: string; line: number }
  | { kind: 'file_contains'; path: string; pattern: string; line: number }
  | { kind: 'expr'; expr: string; line: number };

/** A `- [ ]` item under "Acceptance Criteria". */
export interface Criterion {
  /** The item's text, without its `<!-- check: … -->` comment. */
  text: string;
  done: boolean;
  /** 1-based line in the file. */
  line: number;
  /** Its own check (`<!-- check: … -->`, see criterion-check.ts): run with the spec's checks. */
  check?: Exclude<SpecCheck, { kind: 'expr' }>;
  /**
   * The repository-relative file holding this box when it is not the spec's `file` (a
   * feature folder's tasks.md). Write-back ticks it there.
   */
  source?: string;
  /**
   * Where the criterion cannot be ticked: a numbered requirement or acceptance scenario
   * without a box (`text`), or a task-master subtask (`task:<id>`, ticked by its status).
   */
  mark?: 'text' | `task:${string}`;
}

/**
 * How a spec is written: one markdown file (`file`), a feature folder of spec-kit or Kiro
 * files (`folder`), or one task of a task-master tasks.json (`tasks-json`).
 */
export type SpecLayout = 'file' | 'folder' | 'tasks-json';

/** A 1-based position in a spec file. */
export interface SpecPosition {
  line: number;
  column: number;
}

export interface Spec {
  id: string;
  /** The `number:` key, else the leading number of the file name (`03-retry.md` → 3). */
  number?: number;
  /** A letter after the number (`number: 174a` → "a"): sorts after 174, before 175. */
  numberSuffix?: string;
  /** How the spec is written (default `file`). */
  layout?: SpecLayout;
  /** Every file the spec was read from, when more than `file` (a feature folder). */
  sources?: string[];
  /** The task id inside a tasks.json (`layout: 'tasks-json'`). */
  taskId?: string;
  title: string;
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  status: SpecStatus;
  priority: Priority;
  dependsOn: string[];
  category?: string;
  /** Globs the work is expected to touch. */
  files: string[];
  maxAttempts?: number;
  budget?: { usd?: number; tokens?: number };
  checks: SpecCheck[];
  /** Globs the attempts may not change, on top of the built-in ones (integrity guard). */
  protect?: string[];
  /** Globs of protected paths this spec is about: its attempts may change them. */
  allowEdit?: string[];
  criteria: Criterion[];
  /** Body sections by `##` heading, as written (heading text → content). */
  sections: Record<string, string>;
  /**
   * The markdown body without frontmatter (what the model reads), capped at the size
   * limit (`specs.max_size`): past it, the rest is replaced by a note naming the file.
   */
  body: string;
  /** Where the id and each `depends_on` entry were written, for graph problems. */
  positions?: { id?: SpecPosition; dependsOn?: SpecPosition[] };
}

/** A problem found in a spec file: `file:line:column: message`. */
export interface SpecProblem {
  file: string;
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
}

export function formatProblem(p: SpecProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`;
}

/** `174` + `a` → "174a": how a spec number is written. */
export function numberLabel(spec: { number?: number; numberSuffix?: string }): string | undefined {
  return spec.number === undefined ? undefined : `${spec.number}${spec.numberSuffix ?? ''}`;
}
