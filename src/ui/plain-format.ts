import type { Colors } from './colors.js';
import type { RunEvent } from '../core/run/events.js';
import { totalTokens } from '../core/llm/usage.js';
import {
  OUTCOME_WORDS,
  firstLine,
  formatClock,
  formatCost,
  formatDuration,
  formatTimeOfDay,
  formatTokens,
  formatUsageTokens,
  oneLine,
  shortCommit,
} from './format.js';
import { laneLine, specOf } from './plain-lane.js';
import { toolCallText } from './tui/tool-names.js';

/** The longest assistant text printed per turn; the rest is in events.jsonl. */
export const MAX_TEXT_LINES = 20;

/**
 * Turns RunEvents into log lines for a CI log or a pipe: one line per meaningful
 * event, prefixed by the event's local time, no cursor movement. Stateful only to
 * remember tool-call summaries and attempt counts between events.
 */
export class PlainFormatter {
  private readonly calls = new Map<string, string>();
  private readonly maxAttempts = new Map<string, number>();
  /** The engine sends totals after every request; print them once per attempt. */
  private totalsDue = false;
  /**
   * Several specs' lines interleave (run_start `parallel` > 1, or a second attempt began
   * while one ran): every line about a spec starts with its id in brackets.
   */
  private parallel = false;
  /** The spec whose attempt is running, in a serial run. */
  private running: string | undefined;
  /** The spec being merged onto the run branch (lane `merging`), until it is or is not. */
  private merging: string | undefined;

  constructor(private readonly c: Colors) {}

  format(event: RunEvent): string[] {
    const body = this.body(event);
    const time = this.c.dim(formatTimeOfDay(event.t));
    const spec = this.parallel || event.type === 'lane' ? specOf(event) : undefined;
    const tag = spec ? `${this.c.cyan(`[${spec}]`)} ` : '';
    return body.map((line) => `${time} ${tag}${line}`);
  }

  private body(e: RunEvent): string[] {
    const c = this.c;
    switch (e.type) {
      case 'run_start': {
        this.parallel = (e.parallel ?? 1) > 1;
        this.running = undefined;
        const limits = [
          `${e.limits.maxIterations} iterations`,
          e.limits.usd !== undefined ? formatCost(e.limits.usd) : '',
          e.limits.tokens !== undefined ? `${formatTokens(e.limits.tokens)} tokens` : '',
          e.limits.time !== undefined ? formatClock(e.limits.time * 1000) : '',
        ].filter(Boolean);
        return [
          `${c.bold(e.resumed ? 'run resumed' : 'run started')} ${e.runId} on ${e.branch} · model ${e.model} · workflow ${e.workflow}${this.parallel ? ` · ${e.parallel} specs at once` : ''}`,
          `limits: ${limits.join(' · ')} · ${e.specs.length} spec${e.specs.length === 1 ? '' : 's'}: ${e.specs.map((s) => `${s.id} (${s.status})`).join(', ')}`,
          ...(e.steps?.length
            ? [`steps of each item: ${e.steps.map((s) => `${s.id} (${s.kind})`).join(' → ')}`]
            : []),
        ];
      }
      case 'step_start':
        return [];
      case 'step_end':
        if (e.outcome === 'skipped')
          return [c.dim(`  step ${e.id} skipped (${e.reason ?? 'when'})`)];
        if (e.outcome === 'failed' && e.kind !== 'validate') {
          return [c.red(`  step ${e.id} (${e.kind}) failed: ${oneLine(e.reason ?? '')}`)];
        }
        return [];
      case 'attempt_start': {
        this.maxAttempts.set(e.specId, e.maxAttempts);
        if (this.running !== undefined && this.running !== e.specId) this.parallel = true;
        this.running = e.specId;
        const what = `attempt ${e.attempt}/${e.maxAttempts} · iteration ${e.iteration} · ${e.title}`;
        return [this.parallel ? what : `${c.cyan('spec')} ${c.bold(e.specId)} ${what}`];
      }
      case 'step':
        return e.step === 'agent' ? [] : [`  step ${e.step}`];
      case 'agent':
        return this.agent(e.event);
      case 'validation': {
        const failed = e.checks.filter((x) => !x.passed).length;
        const head = e.passed
          ? c.green(`  checks passed (${e.checks.length})`)
          : c.red(`  checks failed: ${failed} of ${e.checks.length}`);
        const lines = [head];
        for (const check of e.checks) {
          const mark = check.passed ? c.green('✔') : c.red('✘');
          lines.push(
            `    ${mark} ${check.name}: ${oneLine(check.summary)} (${formatDuration(check.durationMs)})`,
          );
          if (check.failedTests?.length) {
            lines.push(`      failing: ${check.failedTests.join(', ')}`);
          }
        }
        for (const text of e.verdict?.newFailures ?? [])
          lines.push(c.red(`    new: ${oneLine(text)}`));
        for (const text of e.verdict?.preExisting ?? []) {
          lines.push(c.dim(`    pre-existing (not this attempt's): ${oneLine(text)}`));
        }
        if (e.verdict?.flaky.length) {
          lines.push(c.dim(`    flaky, not counted: ${e.verdict.flaky.join(', ')}`));
        }
        return lines;
      }
      case 'attempt_end': {
        this.totalsDue = true;
        if (this.running === e.specId) this.running = undefined;
        const max = this.maxAttempts.get(e.specId);
        const who = this.parallel ? '' : `${c.bold(e.specId)} `;
        const what = `${who}attempt ${e.attempt}${max ? `/${max}` : ''} ${OUTCOME_WORDS[e.outcome]}`;
        if (e.outcome === 'passed') {
          // In a parallel run the commit is the lane's: it is not on the run branch yet.
          const commit = `${this.parallel ? 'lane commit' : 'commit'} ${shortCommit(e.commit)}`;
          const line = `${c.green('✔')} ${what}${e.commit ? ` → ${commit}` : ''}`;
          const open = (e.criteria ?? []).filter((v) => v.status === 'unverified');
          if (!open.length) return [line];
          return [
            line,
            c.yellow(
              `  unverified criteria (left unticked): ${open.map((v) => `${v.n}. ${oneLine(v.text)}`).join('; ')}`,
            ),
          ];
        }
        const feedback = firstLine(e.feedback);
        return [`${c.red('✘')} ${what}${feedback ? `: ${feedback}` : ''}`];
      }
      case 'spec_status':
        // "in-progress" is the attempt_start line that follows.
        if (e.status === 'in-progress') return [];
        return [
          `spec ${this.parallel ? '' : `${c.bold(e.specId)} `}→ ${e.status}${e.reason ? `: ${oneLine(e.reason)}` : ''}`,
        ];
      case 'totals': {
        if (!this.totalsDue) return [];
        this.totalsDue = false;
        const t = e.totals;
        return [
          c.dim(
            `totals: cost ${formatCost(t.cost)} · ${formatUsageTokens(t.usage)} tokens · ${t.iterations} iteration${t.iterations === 1 ? '' : 's'} · ${t.commits} commit${t.commits === 1 ? '' : 's'} · ${formatDuration(t.elapsedMs)}`,
          ),
        ];
      }
      case 'warning':
        return [c.yellow(`warning: ${oneLine(e.message)}`)];
      case 'lane': {
        const line = laneLine(e, c, this.merging);
        if (e.phase === 'merging') this.merging = e.specId;
        else if (this.merging === e.specId && e.phase !== 'queued') this.merging = undefined;
        return [line];
      }
      case 'baseline': {
        const green = e.preExisting.length === 0;
        const title =
          e.source === 'retaken'
            ? 'baseline retaken (the run branch moved)'
            : e.source === 'recorded'
              ? 'baseline (as recorded)'
              : 'baseline';
        const checks = e.checks.map((x) => `${x.name} ${oneLine(x.summary)}`).join(' · ');
        const head = `${title} at ${shortCommit(e.commit)}: ${checks || 'no commands'} (${formatDuration(e.durationMs)})`;
        const lines = [green ? c.green(head) : c.yellow(head)];
        for (const line of e.preExisting) {
          lines.push(`  pre-existing (not the model's task): ${oneLine(line)}`);
        }
        if (e.flaky.length) lines.push(`  flaky (never decides alone): ${e.flaky.join(', ')}`);
        return lines;
      }
      case 'run_end': {
        const t = e.totals;
        const count = (s: string): number => e.specs.filter((x) => x.status === s).length;
        const color = e.status === 'completed' ? c.green : e.status === 'failed' ? c.red : c.yellow;
        return [
          color(`run ${e.status}: ${e.reason}`),
          `${count('done')} done · ${count('failed')} failed · ${t.commits} commit${t.commits === 1 ? '' : 's'} · cost ${formatCost(t.cost)} · ${formatTokens(totalTokens(t.usage))} tokens · ${formatDuration(t.elapsedMs)} · branch ${e.branch} · exit ${e.exitCode}`,
          ...e.next.map((cmd) => `next: ${cmd}`),
          `report: mmm report ${e.runId} --out report.html`,
        ];
      }
      default:
        return [];
    }
  }

  private agent(e: Extract<RunEvent, { type: 'agent' }>['event']): string[] {
    const c = this.c;
    switch (e.type) {
      case 'text': {
        const lines = e.text.trimEnd().split('\n');
        while (lines.length && !lines[0]?.trim()) lines.shift();
        if (!lines.length) return [];
        const shown = lines.slice(0, MAX_TEXT_LINES);
        const out = shown.map((l, i) => `  ${i === 0 ? 'assistant:' : '          '} ${l}`);
        if (lines.length > shown.length) {
          out.push(c.dim(`             … ${lines.length - shown.length} more lines`));
        }
        return out;
      }
      case 'tool_call':
        this.calls.set(e.id, oneLine(e.summary));
        return [];
      case 'tool_result': {
        const summary = this.calls.get(e.id) ?? '';
        this.calls.delete(e.id);
        const mark = e.ok ? c.green('✔') : c.red('✘');
        return [
          `  ${mark} ${toolCallText(e.name, summary, oneLine(e.display))} (${formatDuration(e.durationMs)})`,
        ];
      }
      case 'retry':
        return [
          c.yellow(
            `  retry ${e.retry} in ${formatDuration(e.delayMs)}: ${oneLine(e.reason)}${e.status ? ` (HTTP ${e.status})` : ''}`,
          ),
        ];
      case 'session':
        return [c.dim(`  ${e.engine} session ${e.id}`)];
      case 'compaction':
        return [
          c.dim(
            `  context compacted: ${formatTokens(e.beforeTokens)} → ${formatTokens(e.afterTokens)} tokens (${e.compacted} tool results)`,
          ),
        ];
      case 'attempt_end': {
        const line = `  agent finished: ${e.reason} after ${e.turns} turn${e.turns === 1 ? '' : 's'} · cost ${formatCost(e.cost)}`;
        return [e.error ? c.red(`${line} · ${oneLine(e.error)}`) : line];
      }
      default:
        return [];
    }
  }
}
