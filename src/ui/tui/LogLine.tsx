import { Box, Text } from 'ink';
import { OUTCOME_ICONS, OUTCOME_WORDS, firstLine, formatDuration, shortCommit } from '../format.js';
import type { LogItem } from '../run-view.js';
import { useTheme } from './theme.js';

/** A finished attempt, a warning or a skipped spec, written once above the live area. */
export function LogLine({ item }: { item: LogItem }) {
  const theme = useTheme();
  if (item.kind === 'warning') {
    return (
      <Text wrap="truncate-end" color={theme.warn}>
        {`⚠ ${firstLine(item.message)}`}
      </Text>
    );
  }
  if (item.kind === 'spec') {
    return (
      <Text wrap="truncate-end" color={theme.warn}>
        {`⊘ ${item.specId} ${item.status}${item.reason ? `: ${firstLine(item.reason)}` : ''}`}
      </Text>
    );
  }
  const ok = item.outcome === 'passed';
  const of = item.maxAttempts ? `/${item.maxAttempts}` : '';
  const facts = [
    item.commit ? `commit ${shortCommit(item.commit)}` : '',
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
