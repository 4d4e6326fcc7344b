import { Box, Text } from 'ink';
import { OUTCOME_ICONS, OUTCOME_WORDS, firstLine, formatDuration, shortCommit } from '../format.js';
import type { LogItem } from '../run-view.js';
import { useTheme } from './theme.js';

/** Pre-existing failures listed under the baseline line; the rest are counted. */
const MAX_PRE_EXISTING = 5;

export function baselineTitle(source: string): string {
  if (source === 'retaken') return 'baseline retaken (the run branch moved) at';
  if (source === 'recorded') return 'baseline (as recorded) at';
  return 'baseline at';
}

/**
 * A finished attempt, a warning, a skipped spec or a lane's merge, written once above the
 * live area.
 */
export function LogLine({ item }: { item: LogItem }) {
  const theme = useTheme();
  if (item.kind === 'warning') {
    return (
      <Text wrap="truncate-end" color={theme.warn}>
        {`⚠ ${item.specId ? `[${item.specId}] ` : ''}${firstLine(item.message)}`}
      </Text>
    );
  }
  if (item.kind === 'baseline') {
    const green = item.preExisting.length === 0;
    const checks = item.checks.map((c) => `${c.name} ${c.summary}`).join(' · ') || 'no commands';
    return (
      <Box flexDirection="column">
        <Text wrap="truncate-end" color={green ? theme.ok : theme.warn}>
          {`${green ? '✔' : '⚠'} ${baselineTitle(item.source)} ${shortCommit(item.commit)}: ${checks}`}
        </Text>
        {item.preExisting.slice(0, MAX_PRE_EXISTING).map((line, i) => (
          <Text key={i} wrap="truncate-end" color={theme.muted}>
            {`  pre-existing (not the model's task): ${line}`}
          </Text>
        ))}
        {item.preExisting.length > MAX_PRE_EXISTING ? (
          <Text wrap="truncate-end" color={theme.muted}>
            {`  … and ${item.preExisting.length - MAX_PRE_EXISTING} more pre-existing`}
          </Text>
        ) : null}
        {item.flaky.length ? (
          <Text wrap="truncate-end" color={theme.muted}>
            {`  flaky (never decides alone): ${item.flaky.join(', ')}`}
          </Text>
        ) : null}
      </Box>
    );
  }
  if (item.kind === 'spec') {
    return (
      <Text wrap="truncate-end" color={theme.warn}>
        {`⊘ ${item.specId} ${item.status}${item.reason ? `: ${firstLine(item.reason)}` : ''}`}
      </Text>
    );
  }
  if (item.kind === 'lane') {
    const merged = item.phase === 'merged';
    const what = merged
      ? `merged onto the run branch${item.commit ? ` as ${shortCommit(item.commit)}` : ''}`
      : `${item.phase === 'conflict' ? 'merge conflict' : 'failed after merge'}, not merged${
          item.reason ? `: ${firstLine(item.reason)}` : ''
        }`;
    return (
      <Text wrap="truncate-end">
        <Text color={merged ? theme.ok : theme.bad}>{merged ? '✔' : '✘'}</Text>
        <Text bold>{` ${item.specId}`}</Text>
        <Text>{` ${what}`}</Text>
      </Text>
    );
  }
  const ok = item.outcome === 'passed';
  const of = item.maxAttempts ? `/${item.maxAttempts}` : '';
  const facts = [
    item.commit ? `${item.inLane ? 'lane commit' : 'commit'} ${shortCommit(item.commit)}` : '',
    item.toolCount ? `${item.toolCount} tool call${item.toolCount === 1 ? '' : 's'}` : '',
    item.durationMs ? formatDuration(item.durationMs) : '',
  ].filter(Boolean);
  const failedChecks = item.validation?.checks.filter((c) => !c.passed) ?? [];
  const failingTests = failedChecks.flatMap((c) => c.failedTests ?? []);
  const why = ok
    ? ''
    : failedChecks.length
      ? `${failedChecks.map((c) => `${c.name}: ${c.summary}`).join(' · ')}${
          failingTests.length ? ` · failing: ${failingTests.join(', ')}` : ''
        }`
      : firstLine(item.agentError ?? item.feedback);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text color={ok ? theme.ok : item.outcome === 'stopped' ? theme.warn : theme.bad}>
          {OUTCOME_ICONS[item.outcome]}
        </Text>
        <Text bold>{` ${item.specId}`}</Text>
        <Text>{` attempt ${item.attempt}${of} ${OUTCOME_WORDS[item.outcome]}`}</Text>
        <Text color={theme.muted}>{facts.length ? ` · ${facts.join(' · ')}` : ''}</Text>
      </Text>
      {why ? (
        <Text wrap="truncate-end" color={theme.muted}>
          {`  ${why}`}
        </Text>
      ) : null}
    </Box>
  );
}
