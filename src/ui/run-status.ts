import type { CleanResult, RunListEntry, RunSummary } from '../core/run/store/runs.js';
import { color } from './colors.js';
import { formatCost, formatDuration, formatTokens, shortCommit } from './format.js';
import { table } from './table.js';

/** Text of `mmm status`, `mmm runs` and `mmm runs clean`. */

export function statusLabel(run: Pick<RunSummary, 'status' | 'live' | 'resumable'>): string {
  if (run.status === 'running' && !run.live) return 'stopped unexpectedly (resumable)';
  if (run.status === 'limit') return 'stopped by a limit (resumable)';
  if (run.status === 'interrupted') return 'interrupted (resumable)';
  if (run.status === 'provider_error') return 'provider error (resumable)';
  return run.status;
}

function paintStatus(text: string, run: Pick<RunSummary, 'status' | 'live'>): string {
  if (run.status === 'completed') return color.green(text);
  if (run.status === 'failed' || run.status === 'provider_error') return color.red(text);
  if (run.status === 'running' && run.live) return color.cyan(text);
  return color.yellow(text);
}

function specMark(status: string): string {
  switch (status) {
    case 'done':
      return color.green('✔');
    case 'failed':
      return color.red('✘');
    case 'blocked':
      return color.yellow('⊘');
    case 'in-progress':
      return color.cyan('▸');
    case 'skipped':
      return color.dim('-');
    default:
      return color.dim('·');
  }
}

export function formatStatus(run: RunSummary): string {
  const u = run.usage;
  const lines = [
    `${color.bold('run')}        ${run.runId}  ${paintStatus(statusLabel(run), run)}`,
    `branch     ${run.branch}${run.baseBranch ? color.dim(` (from ${run.baseBranch} @ ${shortCommit(run.baseCommit)})`) : color.dim(` (from ${shortCommit(run.baseCommit)})`)}`,
    `worktree   ${run.inPlace ? `${run.worktree} (in place)` : run.worktreeExists ? run.worktree : color.dim(`${run.worktree} (removed)`)}`,
    `started    ${run.createdAt}${run.live && run.holder ? color.dim(`  (pid ${run.holder.pid} on ${run.holder.host})`) : ''}`,
    `iterations ${run.iterations} · commits ${run.commits} · duration ${formatDuration(run.elapsedMs)}`,
    `cost       ${formatCost(run.cost)}`,
    `tokens     ${formatTokens(run.tokens)} ${color.dim(`(input ${formatTokens(u.input)}, output ${formatTokens(u.output)}, cache write ${formatTokens(u.cacheWrite)}, cache read ${formatTokens(u.cacheRead)})`)}`,
  ];
  if (run.current) {
    lines.push(
      `current    ${run.current.specId} attempt ${run.current.attempt}: ${run.current.step}`,
    );
  }
  for (const lane of run.lanes ?? []) {
    const what =
      run.merging === lane.specId
        ? 'merging onto the run branch'
        : lane.phase === 'accepted'
          ? 'waiting to merge'
          : `working${lane.step ? ` (step ${lane.step})` : ''}`;
    lines.push(`lane       ${lane.specId}: ${what} ${color.dim(`on ${lane.branch}`)}`);
  }
  if (run.stopReason) lines.push(`stopped    ${run.stopReason}`);
  if (run.baseline) {
    const b = run.baseline;
    const checks = b.checks.map((c) => `${c.name} ${c.summary}`).join(' · ') || 'no commands';
    lines.push(`baseline   ${shortCommit(b.commit)}: ${checks}`);
    for (const line of b.preExisting) {
      lines.push(color.yellow(`  pre-existing (not the model's task): ${line}`));
    }
    if (b.flaky.length)
      lines.push(color.dim(`  flaky (never decides alone): ${b.flaky.join(', ')}`));
  }
  if (run.specs.length) {
    const c = run.specCounts;
    lines.push(
      '',
      `${color.bold('specs')}      ${c.done} done · ${c.failed} failed · ${c.blocked} blocked · ${c.pending + c['in-progress']} to do`,
    );
    const rows = run.specs.map((s) => [
      `  ${specMark(s.status)} ${s.id}`,
      s.title,
      s.status,
      `${s.attempts} attempt${s.attempts === 1 ? '' : 's'}`,
      s.commit ? shortCommit(s.commit) : s.failure ? color.dim(s.failure) : '',
    ]);
    lines.push(table(rows));
    for (const s of run.specs) {
      if (!s.unverified?.length) continue;
      lines.push(color.yellow(`  ${s.id}: criteria without verified evidence (left unticked):`));
      for (const c of s.unverified) lines.push(color.dim(`    ${c}`));
    }
  }
  if (run.next.length) {
    lines.push('', color.bold('next'));
    for (const cmd of run.next) lines.push(`  ${cmd}`);
  }
  return lines.join('\n') + '\n';
}

export function formatRunsTable(entries: RunListEntry[]): string {
  if (entries.length === 0) return 'No runs yet in this repository. Start one with: mmm improve\n';
  const rows = [...entries].reverse().map((e) => {
    if ('error' in e) return [e.runId, color.red('unreadable'), '', '', '', '', color.dim(e.error)];
    return [
      e.runId,
      paintStatus(statusLabel(e), e),
      `${e.specCounts.done}/${e.specCounts.failed}/${e.specCounts.total}`,
      String(e.iterations),
      formatCost(e.cost),
      formatDuration(e.elapsedMs),
      e.createdAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, 'Z'),
    ];
  });
  return (
    table(rows, {
      header: ['RUN', 'STATUS', 'DONE/FAILED/SPECS', 'ITERATIONS', 'COST', 'DURATION', 'STARTED'],
    }) + '\n'
  );
}

export function formatClean(result: CleanResult): string {
  const lines: string[] = [];
  for (const r of result.removed) lines.push(`removed ${r.worktree} (run ${r.runId}; branch kept)`);
  for (const k of result.kept) lines.push(color.dim(`kept    ${k.worktree}: ${k.reason}`));
  if (result.removed.length === 0) lines.push('Nothing to remove.');
  return lines.join('\n') + '\n';
}
