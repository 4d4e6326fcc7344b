import { createHash } from 'node:crypto';
import type { CheckResult, VerdictSummary } from '../run/events.js';
import { normalizeLine } from '../validate/feedback.js';
import { firstLines } from './baseline.js';
import type { Finding, Verdict } from './judge.js';

/** Lines of a command's output quoted under its new failures. */
const OUTPUT_LINES = 40;
/** Pre-existing failures listed by name at most. */
const PRE_EXISTING_SHOWN = 15;

function fence(lines: string[]): string {
  const text = lines.join('\n');
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}\n${text}\n${ticks}`;
}

function byCommand(findings: Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) out.set(f.command, [...(out.get(f.command) ?? []), f]);
  return out;
}

/**
 * What the next attempt is told, from the verdict: each new failure named precisely
 * ("test `calc.test.js > add` passed before this attempt and now is missing") with the
 * first lines of its command's output, then the spec checks that failed, then the
 * pre-existing failures, listed apart as not the model's task. Empty when it passed.
 */
export function verdictFeedback(verdict: Verdict, results: readonly CheckResult[]): string {
  if (verdict.passed) return '';
  const lines: string[] = [];
  const count = verdict.newFailures.length + verdict.specFailures.length;
  lines.push(
    `Validation failed: ${count} problem${count === 1 ? '' : 's'} introduced by this attempt or still open in the task.`,
  );
  for (const [command, findings] of byCommand(verdict.newFailures)) {
    const result = results.find((r) => r.name === command);
    lines.push('', `## ${command} — ${result?.summary ?? 'failed'}`);
    lines.push('New failures (this attempt caused them; fix them):');
    for (const f of findings) lines.push(`- ${f.text}`);
    const output = firstLines(result?.output, OUTPUT_LINES);
    if (output.length) lines.push('Output (first lines):', fence(output));
  }
  for (const r of verdict.specFailures) {
    lines.push('', `## ${r.name} — ${r.summary}`);
    if (r.failedTests?.length) {
      lines.push('Failing tests:');
      for (const t of r.failedTests) lines.push(`- ${t}`);
    }
    const output = firstLines(r.output, OUTPUT_LINES);
    if (output.length) lines.push('Output (first lines):', fence(output));
  }
  if (verdict.preExisting.length) {
    lines.push('', '## Already failing before you started; not your task');
    for (const f of verdict.preExisting.slice(0, PRE_EXISTING_SHOWN)) lines.push(`- ${f.text}`);
    const more = verdict.preExisting.length - PRE_EXISTING_SHOWN;
    if (more > 0) lines.push(`- … and ${more} more`);
    lines.push('Leave these alone unless the task is about them.');
  }
  if (verdict.flakyIgnored.length) {
    lines.push(
      '',
      `Flaky (failed once, passed on a re-run; not counted): ${verdict.flakyIgnored.map((id) => `\`${id}\``).join(', ')}.`,
    );
  }
  const failing = new Set([
    ...verdict.newFailures.map((f) => f.command),
    ...verdict.specFailures.map((r) => r.name),
  ]);
  const passed = results.filter((r) => r.passed && !failing.has(r.name)).map((r) => r.name);
  if (passed.length) lines.push('', `Passed (keep them passing): ${passed.join(', ')}.`);
  return lines.join('\n');
}

/**
 * A stable hash of what this attempt broke (new failures and failed spec checks only, so
 * the unchanged pre-existing failures do not make different attempts look the same).
 */
export function verdictFingerprint(verdict: Verdict): string {
  if (verdict.passed) return '';
  const hash = createHash('sha256');
  const items = [
    ...verdict.newFailures.map(
      (f) => `new\0${f.command}\0${f.kind}\0${normalizeLine(f.id ?? f.text)}`,
    ),
    ...verdict.specFailures.map(
      (r) =>
        `check\0${normalizeLine(r.name)}\0${normalizeLine(r.summary)}\0${(r.failedTests ?? []).map(normalizeLine).sort().join('\0')}`,
    ),
  ].sort();
  for (const item of items) hash.update(`${item}\n`);
  return hash.digest('hex').slice(0, 16);
}

/** The verdict in one line, for logs: "2 new failures, 1 pre-existing". */
export function verdictLine(verdict: Verdict): string {
  const parts: string[] = [];
  if (verdict.newFailures.length)
    parts.push(
      `${verdict.newFailures.length} new failure${verdict.newFailures.length === 1 ? '' : 's'}`,
    );
  if (verdict.specFailures.length)
    parts.push(
      `${verdict.specFailures.length} spec check${verdict.specFailures.length === 1 ? '' : 's'} failed`,
    );
  if (verdict.preExisting.length) parts.push(`${verdict.preExisting.length} pre-existing`);
  if (verdict.flakyIgnored.length) parts.push(`${verdict.flakyIgnored.length} flaky ignored`);
  return parts.join(', ') || 'no new failure';
}

/** The verdict as the `validation` event carries it. */
export function verdictSummary(verdict: Verdict): VerdictSummary {
  return {
    newFailures: [
      ...verdict.newFailures.map((f) => f.text),
      ...verdict.specFailures.map((r) => `${r.name} — ${r.summary}`),
    ],
    preExisting: verdict.preExisting.map((f) => f.text),
    flaky: verdict.flakyIgnored,
  };
}
