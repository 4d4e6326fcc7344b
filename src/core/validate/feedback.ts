import { createHash } from 'node:crypto';
import type { CheckResult } from '../run/events.js';

/** Total output quoted in one feedback message, characters. */
const FEEDBACK_OUTPUT_BUDGET = 12_000;

function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}\n${text}\n${ticks}`;
}

function clipTail(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.slice(text.length - limit);
  const nl = cut.indexOf('\n');
  return `…\n${nl >= 0 ? cut.slice(nl + 1) : cut}`;
}

/**
 * What the next attempt is told: each failed check by name with its actual result
 * (exit code, failing tests, the relevant output), then the checks that passed in one
 * line so the model does not break them. Empty string when nothing failed.
 */
export function formatFeedback(results: CheckResult[]): string {
  const failed = results.filter((r) => !r.passed);
  if (!failed.length) return '';
  const withOutput = failed.filter((r) => r.output).length;
  const perOutput = Math.max(800, Math.floor(FEEDBACK_OUTPUT_BUDGET / Math.max(1, withOutput)));
  const lines: string[] = [
    `Validation failed: ${failed.length} of ${results.length} check${results.length === 1 ? '' : 's'} failed.`,
  ];
  for (const r of failed) {
    lines.push('');
    const exit =
      r.exitCode !== undefined && !r.summary.includes(`exit ${r.exitCode}`)
        ? ` (exit ${r.exitCode})`
        : '';
    lines.push(`## ${r.name} — ${r.summary}${exit}`);
    if (r.failedTests?.length) {
      lines.push('Failing tests:');
      for (const t of r.failedTests) lines.push(`- ${t}`);
    }
    if (r.output) {
      lines.push('Output:');
      lines.push(fence(clipTail(r.output, perOutput)));
    }
  }
  const passed = results.filter((r) => r.passed).map((r) => r.name);
  if (passed.length) {
    lines.push('');
    lines.push(`Passed (keep them passing): ${passed.join(', ')}.`);
  }
  return lines.join('\n');
}

const ERROR_LINE =
  /\b(?:error|errors|fail|failed|failure|assert\w*|expected|panicked|panic|exception|traceback|undefined|cannot|not found|missing)\b|\bE\s{2,}|✖|×/i;

/**
 * Makes a line comparable across attempts: ANSI, timings, hex addresses, paths (to their
 * base name), numbers and spacing are stripped, so only what failed remains.
 */
export function normalizeLine(line: string): string {
  return (
    line
      // eslint-disable-next-line no-control-regex
      .replace(/\u001b\[[0-9;]*m/g, '')
      .replace(/\b\d+(?:\.\d+)?\s*(?:ms|s|sec|seconds|µs|us|ns|m)\b/gi, '<time>')
      .replace(/\b\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\b/g, '<time>')
      .replace(/\b0x[0-9a-f]+\b/gi, '<hex>')
      .replace(/\b[0-9a-f]{12,}\b/gi, '<hex>')
      .replace(/(?:file:\/\/)?(?:[A-Za-z]:)?(?:[\w.@~+-]*[/\\])+([\w.@+-]+)/g, '$1')
      .replace(/\d+/g, 'N')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/**
 * A stable hash of what failed: the failed checks' names, their failing tests and their
 * error lines, normalized. Two attempts failing the same way have the same fingerprint
 * whatever their timings, temp paths or line numbers; "" when nothing failed.
 */
export function failureFingerprint(results: CheckResult[]): string {
  const failed = results.filter((r) => !r.passed);
  if (!failed.length) return '';
  const hash = createHash('sha256');
  for (const r of failed.slice().sort((a, b) => a.name.localeCompare(b.name))) {
    hash.update(`check\0${normalizeLine(r.name)}\0${normalizeLine(r.summary)}\n`);
    for (const t of [...(r.failedTests ?? [])].map(normalizeLine).sort())
      hash.update(`test\0${t}\n`);
    const errors = new Set<string>();
    for (const line of (r.output ?? '').split('\n')) {
      if (errors.size >= 40) break;
      if (!ERROR_LINE.test(line)) continue;
      const normalized = normalizeLine(line);
      if (normalized) errors.add(normalized);
    }
    for (const e of [...errors].sort()) hash.update(`line\0${e}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}
