import { Box, Text } from 'ink';
import type { SpecRunStatus, SpecSummary } from '../../core/run/events.js';
import { SPEC_ICONS } from '../format.js';
import { useTheme, type Theme } from './theme.js';

export function statusColor(status: SpecRunStatus, theme: Theme): string | undefined {
  switch (status) {
    case 'done':
      return theme.ok;
    case 'failed':
      return theme.bad;
    case 'in-progress':
      return theme.accent;
    case 'blocked':
    case 'skipped':
      return theme.warn;
    default:
      return theme.muted;
  }
}

/** Which specs fit in `limit` lines: a window around the one in progress. */
export function specWindow(
  specs: SpecSummary[],
  limit: number,
): { shown: SpecSummary[]; above: number; below: number } {
  if (specs.length <= limit) return { shown: specs, above: 0, below: 0 };
  const n = Math.max(1, limit - 1);
  let focus = specs.findIndex((s) => s.status === 'in-progress');
  if (focus < 0) focus = specs.findIndex((s) => s.status === 'pending');
  if (focus < 0) focus = 0;
  const start = Math.max(0, Math.min(focus - 1, specs.length - n));
  return {
    shown: specs.slice(start, start + n),
    above: start,
    below: specs.length - start - n,
  };
}

export function SpecLine({ spec, idWidth }: { spec: SpecSummary; idWidth: number }) {
  const theme = useTheme();
  const criteria = spec.criteriaTotal > 0 ? `${spec.criteriaDone}/${spec.criteriaTotal}` : '';
  return (
    <Text wrap="truncate-end">
      <Text color={statusColor(spec.status, theme)}>{SPEC_ICONS[spec.status]}</Text>
      <Text bold={spec.status === 'in-progress'}> {spec.id.padEnd(idWidth)}</Text>
      <Text color={theme.muted}> {criteria.padStart(5)} </Text>
      <Text> {spec.title}</Text>
    </Text>
  );
}

/** The specs with status icons and criteria progress, at most `limit` lines. */
export function SpecList({ specs, limit }: { specs: SpecSummary[]; limit: number }) {
  const theme = useTheme();
  if (specs.length === 0) return null;
  const { shown, above, below } = specWindow(specs, limit);
  const idWidth = Math.min(24, Math.max(...shown.map((s) => s.id.length)));
  const more = [above ? `${above} above` : '', below ? `${below} more` : '']
    .filter(Boolean)
    .join(', ');
  return (
    <Box flexDirection="column">
      {shown.map((spec) => (
        <SpecLine key={spec.id} spec={spec} idWidth={idWidth} />
      ))}
      {more ? (
        <Text wrap="truncate-end" color={theme.muted}>
          {`  … ${more} (${specs.length} specs)`}
        </Text>
      ) : null}
    </Box>
  );
}
