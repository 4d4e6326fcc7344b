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
}

/** A 1-based position in a spec file. */
export interface SpecPosition {
  line: number;
  column: number;
}

export interface Spec {
  id: string;
  /** The `number:` key, else the leading number of the file name (`03-retry.md` → 3). */
  number?: number;
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
  /** The markdown body without frontmatter. */
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
