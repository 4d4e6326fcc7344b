import type { Diagnostic, DiagnosticReport } from '../test-report.js';
import type { ParsedOutput } from '../parsers/types.js';
import { relativePath } from './types.js';

/** Beyond this many findings a report keeps the counts only (state.json stays small). */
export const MAX_DIAGNOSTICS = 1000;
const MESSAGE_LIMIT = 200;

function diagnostic(
  root: string | undefined,
  file: string | undefined,
  line: number | undefined,
  rule: string | undefined,
  severity: Diagnostic['severity'],
  message: string,
): Diagnostic {
  const rel = file ? relativePath(file, root) : undefined;
  const id = [rel, line, rule].filter((p) => p !== undefined && p !== '').join(':');
  const d: Diagnostic = { id, severity, message: message.trim().slice(0, MESSAGE_LIMIT) };
  if (rel) d.file = rel;
  if (line !== undefined) d.line = line;
  if (rule) d.rule = rule;
  return d;
}

type Extractor = (output: string, root?: string) => Diagnostic[];

/** ESLint stylish: a file line, then "  1:7  error  message  rule". */
const eslint: Extractor = (output, root) => {
  const out: Diagnostic[] = [];
  let file: string | undefined;
  for (const line of output.split('\n')) {
    if (/^\S/.test(line) && !/^✖ /.test(line)) file = line.trim();
    const m = /^\s+(\d+):\d+\s+(error|warning)\s+(.+?)(?:\s{2,}(\S+))?\s*$/.exec(line);
    if (m && file)
      out.push(diagnostic(root, file, Number(m[1]), m[4], m[2] as 'error', m[3] ?? ''));
  }
  return out;
};

/** tsc: "a.ts(1,7): error TS2322: …" or "a.ts:1:7 - error TS2322: …". */
const tsc: Extractor = (output, root) =>
  [
    ...output.matchAll(
      /^(\S.*?)(?:\((\d+),\d+\)|:(\d+):\d+) ?[:-] (error|warning) (TS\d+): (.*)$/gm,
    ),
  ].map((m) => diagnostic(root, m[1], Number(m[2] ?? m[3]), m[5], m[4] as 'error', m[6] ?? ''));

/** mypy: "app/main.py:3: error: message  [code]". */
const mypy: Extractor = (output, root) =>
  [...output.matchAll(/^(\S+\.pyi?):(\d+)(?::\d+)?: error: (.*?)(?:\s+\[([\w-]+)\])?$/gm)].map(
    (m) => diagnostic(root, m[1], Number(m[2]), m[4], 'error', m[3] ?? ''),
  );

/** ruff / flake8 concise ("f.py:1:8: F401 …") and ruff full ("F401 …\n --> f.py:1:8"). */
const ruff: Extractor = (output, root) => [
  ...[...output.matchAll(/^(\S[^:\n]*):(\d+):\d+: ([A-Z]{1,4}\d{1,4})\b(?: \[\*\])? (.*)$/gm)].map(
    (m) => diagnostic(root, m[1], Number(m[2]), m[3], 'error', m[4] ?? ''),
  ),
  ...[...output.matchAll(/^([A-Z]{1,4}\d{1,4}) (?:\[\*\] )?(.+)\n\s*--> (\S+?):(\d+):\d+/gm)].map(
    (m) => diagnostic(root, m[3], Number(m[4]), m[1], 'error', m[2] ?? ''),
  ),
];

/**
 * rustc / clippy: "error[E0308]: message\n --> src/lib.rs:3:38"; a clippy lint is named
 * by its "index.html#len_zero" help link further down the block.
 */
const rustc: Extractor = (output, root) =>
  [...output.matchAll(/^(error|warning)(?:\[(\w+)\])?: (.+)\n\s*--> (\S+?):(\d+):\d+/gm)].map(
    (m) => {
      const block = output.slice(m.index + m[0].length).split(/\n(?=(?:error|warning)\b)/)[0];
      const lint = /rust-clippy\/[^\s#]*#(\w+)/.exec(block ?? '')?.[1];
      const rule = m[2] ?? (lint ? `clippy::${lint}` : undefined);
      return diagnostic(root, m[4], Number(m[5]), rule, m[1] as 'error', m[3] ?? '');
    },
  );

const EXTRACTORS: Record<string, Extractor> = {
  eslint,
  tsc,
  mypy,
  ruff,
  flake8: ruff,
  clippy: rustc,
  rustc,
};

/**
 * The findings of a lint or typecheck command, from the parser that recognised its
 * output. identity "names" when every finding the tool counted has a file:line identity;
 * "counts" when the format has no per-finding lines mmm reads, the output was cut, or
 * there are more than MAX_DIAGNOSTICS.
 */
export function diagnosticReport(
  parsed: ParsedOutput,
  output: string,
  root?: string,
): DiagnosticReport {
  const errors = parsed.errors ?? 0;
  const warnings = parsed.warnings ?? 0;
  const counts: DiagnosticReport = {
    tool: parsed.tool,
    identity: 'counts',
    diagnostics: [],
    errors,
    warnings,
  };
  const extract = EXTRACTORS[parsed.tool];
  if (!extract || /^… \[\d+ characters of output omitted\] …$/m.test(output)) return counts;
  const found = extract(output, root);
  const foundErrors = found.filter((d) => d.severity === 'error').length;
  if (found.length > MAX_DIAGNOSTICS || foundErrors < errors) return counts;
  return { ...counts, identity: 'names', diagnostics: found };
}
