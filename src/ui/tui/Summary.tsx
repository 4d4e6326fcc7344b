import { Box, Text } from 'ink';
import type { RunEndStatus } from '../../core/run/events.js';
import { formatCost, formatDuration, formatUsageTokens } from '../format.js';
import type { RunEnd } from '../run-view.js';
import { SpecLine } from './SpecList.js';
import { useTheme, type Theme } from './theme.js';

const HEADLINE: Record<RunEndStatus, string> = {
  completed: '✔ Run completed',
  failed: '✘ Run finished with failures',
  limit: '⏸ Run stopped by a limit',
  interrupted: '■ Run interrupted',
  provider_error: '✘ Run stopped by a provider error',
};

function headlineColor(status: RunEndStatus, theme: Theme): string | undefined {
  if (status === 'completed') return theme.ok;
  if (status === 'failed' || status === 'provider_error') return theme.bad;
  return theme.warn;
}

/** Counts of specs by outcome: "2 done · 1 failed". */
export function specCounts(end: RunEnd): string {
  const count = (s: string): number => end.specs.filter((x) => x.status === s).length;
  const parts = [`${count('done')} done`, `${count('failed')} failed`];
  for (const s of ['blocked', 'skipped', 'pending', 'in-progress'] as const) {
    const n = count(s);
    if (n) parts.push(`${n} ${s === 'in-progress' ? 'unfinished' : s}`);
  }
  return parts.join(' · ');
}

/** The final screen: what got done, what it cost, what to run next. */
export function Summary({
  end,
  runId,
  specLimit,
}: {
  end: RunEnd;
  runId?: string;
  specLimit: number;
}) {
  const theme = useTheme();
  const t = end.totals;
  const facts = [
    specCounts(end),
    `${t.commits} commit${t.commits === 1 ? '' : 's'}`,
    `cost ${formatCost(t.cost)}`,
    `${formatUsageTokens(t.usage)} tokens`,
    formatDuration(t.elapsedMs),
  ];
  const idWidth = Math.min(24, Math.max(0, ...end.specs.map((s) => s.id.length)));
  const specs = end.specs.slice(0, specLimit);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold color={headlineColor(end.status, theme)}>
          {HEADLINE[end.status]}
        </Text>
        <Text>{` · exit ${end.exitCode}`}</Text>
      </Text>
      <Text wrap="truncate-end">{facts.join(' · ')}</Text>
      {end.reason ? (
        <Text wrap="truncate-end" color={theme.muted}>
          {end.reason}
        </Text>
      ) : null}
      {specs.map((s) => (
        <SpecLine key={s.id} spec={s} idWidth={idWidth} />
      ))}
      {end.specs.length > specs.length ? (
        <Text color={theme.muted}>{`  … ${end.specs.length - specs.length} more`}</Text>
      ) : null}
      {end.next.length ? <Text bold>Next:</Text> : null}
      {end.next.map((cmd, i) => (
        <Text key={`n${i}`} wrap="truncate-end">
          {`  ${cmd}`}
        </Text>
      ))}
      {runId ? (
        <Text wrap="truncate-end">
          <Text bold>Report:</Text>
          {` mmm report ${runId} --out report.html`}
        </Text>
      ) : null}
    </Box>
  );
}
