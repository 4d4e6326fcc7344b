import { Box, Text } from 'ink';
import { formatClock, oneLine, OUTCOME_WORDS, shortCommit, truncate } from '../format.js';
import type { LaneView } from '../run-view.js';
import { useTheme, type Theme } from './theme.js';
import { toolCallText } from './tool-names.js';

/** The widest a lane's activity ("queued to merge", a step id…) gets on its line. */
const ACTIVITY_WIDTH = 18;
/** The widest a spec id gets before it is cut. */
export const LANE_ID_WIDTH = 24;

/** What the lane does now, in a few words: its step, or where it is on its way to merge. */
export function laneActivity(lane: LaneView): string {
  switch (lane.phase) {
    case 'queued':
      return 'queued to merge';
    case 'merging':
      return 'merging';
    case 'merged':
      return lane.commit ? `merged ${shortCommit(lane.commit)}` : 'merged';
    case 'conflict':
      return 'merge conflict';
    case 'merge_failed':
      return 'failed after merge';
    default:
      if (lane.outcome) return OUTCOME_WORDS[lane.outcome];
      if (lane.attempt === 0) return 'opening';
      return lane.stepId ?? lane.step;
  }
}

function laneIcon(lane: LaneView, theme: Theme): { icon: string; color?: string } {
  switch (lane.phase) {
    case 'queued':
      return { icon: '·', color: theme.muted };
    case 'merging':
      return { icon: '⟳', color: theme.accent };
    case 'merged':
      return { icon: '✔', color: theme.ok };
    case 'conflict':
    case 'merge_failed':
      return { icon: '✘', color: theme.bad };
    default:
      if (lane.outcome === 'passed') return { icon: '✔', color: theme.ok };
      if (lane.outcome) return { icon: '✘', color: theme.bad };
      return { icon: '▶', color: theme.accent };
  }
}

/** "merging 02-a · waiting: 03-b, 04-c", or "empty". */
export function mergeQueueText(queue: string[], merging: string | undefined): string {
  const waiting = queue.filter((id) => id !== merging);
  const parts = [
    merging ? `merging ${merging}` : '',
    waiting.length ? `waiting: ${waiting.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'empty';
}

/**
 * How many lanes fit in `limit` lines (a "… more lanes" line included), and whether each
 * still gets its detail line. At least one lane is shown.
 */
export function laneFit(
  count: number,
  details: boolean,
  limit: number,
): { shown: number; details: boolean; lines: number } {
  const per = details ? 2 : 1;
  if (count * per <= limit) return { shown: count, details, lines: count * per };
  const shown = Math.floor((limit - 1) / per);
  if (shown < 1) return details ? laneFit(count, false, limit) : { shown: 1, details, lines: 2 };
  return { shown, details, lines: shown * per + 1 };
}

export interface LanePanelProps {
  lanes: LaneView[];
  /** The width of the spec id column (the longest id of the run, at most 24). */
  idWidth: number;
  mergeQueue: string[];
  merging?: string;
  now: number;
  width: number;
  /** Lines the lanes may take (the merge queue line is extra). */
  limit: number;
  /** Under each lane, its latest tool call (or the provider retry it waits for). */
  details: boolean;
}

/** The lanes of a parallel run, one line each, then the merge queue. */
export function LanePanel(props: LanePanelProps) {
  const { lanes, now, width, details, idWidth } = props;
  const theme = useTheme();
  const fit = laneFit(lanes.length, details, props.limit);
  const shown = lanes.slice(0, fit.shown);
  return (
    <Box flexDirection="column">
      {shown.map((lane) => (
        <Box key={lane.specId} flexDirection="column">
          <LaneLine lane={lane} now={now} width={width} idWidth={idWidth} />
          {fit.details ? <LaneDetail lane={lane} /> : null}
        </Box>
      ))}
      {lanes.length > shown.length ? (
        <Text wrap="truncate-end" color={theme.muted}>
          {`  … ${lanes.length - shown.length} more lane${lanes.length - shown.length === 1 ? '' : 's'}`}
        </Text>
      ) : null}
      <Text wrap="truncate-end">
        <Text color={theme.muted}>merge queue: </Text>
        <Text>{mergeQueueText(props.mergeQueue, props.merging)}</Text>
      </Text>
    </Box>
  );
}

/**
 * One lane on one line, in columns: spec, attempt, time since the attempt began, its step
 * (or where it is on its way to merge), title (cut to what is left of the width).
 */
export function LaneLine(props: { lane: LaneView; now: number; width: number; idWidth: number }) {
  const { lane, now, width, idWidth } = props;
  const theme = useTheme();
  const { icon, color } = laneIcon(lane, theme);
  const id = truncate(lane.specId, idWidth).padEnd(idWidth);
  const attempt = `attempt ${lane.maxAttempts ? `${lane.attempt}/${lane.maxAttempts}` : '–'}`;
  const clock = formatClock(now - lane.startedAt).padStart(5);
  const activity = truncate(laneActivity(lane), ACTIVITY_WIDTH).padEnd(ACTIVITY_WIDTH);
  const head = `${icon} ${id}  ${attempt.padEnd(11)}  ${clock}  ${activity} `;
  const title = truncate(oneLine(lane.title), Math.max(0, width - Array.from(head).length));
  return (
    <Text wrap="truncate-end">
      <Text color={color}>{icon}</Text>
      <Text bold={lane.phase === 'opened' && !lane.outcome}>{` ${id}`}</Text>
      <Text>{`  ${attempt.padEnd(11)}  ${clock}  `}</Text>
      <Text color={lane.phase === 'opened' && !lane.outcome ? undefined : color}>{activity}</Text>
      <Text color={theme.muted}>{` ${title}`}</Text>
    </Text>
  );
}

function LaneDetail({ lane }: { lane: LaneView }) {
  const theme = useTheme();
  if (lane.notice) {
    return (
      <Text wrap="truncate-end" color={theme.warn}>
        {`    ⟳ ${lane.notice}`}
      </Text>
    );
  }
  const tool = lane.tools.at(-1);
  if (!tool) return null;
  const mark = tool.status === 'running' ? '…' : tool.status === 'ok' ? '✔' : '✘';
  const text = toolCallText(
    tool.name,
    oneLine(tool.summary),
    tool.status === 'running' ? undefined : oneLine(tool.display ?? ''),
  );
  return (
    <Text wrap="truncate-end" color={tool.status === 'error' ? theme.bad : theme.muted}>
      {`    ${mark} ${text}`}
    </Text>
  );
}
