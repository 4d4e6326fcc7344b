import { Box, Text } from 'ink';
import type { CheckResult } from '../../core/run/events.js';
import { formatClock, formatDuration, lastLines, oneLine } from '../format.js';
import type { AttemptView, StepView, ToolView, ValidationView } from '../run-view.js';
import { useTheme } from './theme.js';
import { toolCallText } from './tool-names.js';

export interface AttemptPanelProps {
  attempt: AttemptView;
  now: number;
  width: number;
  textLines: number;
  toolLines: number;
  details: boolean;
}

/** The attempt in progress: where it is, what the model says, what it runs, what the checks say. */
export function AttemptPanel(props: AttemptPanelProps) {
  const { attempt: a, now, width, details } = props;
  const theme = useTheme();
  const text =
    props.textLines > 0 ? lastLines(a.text, Math.max(10, width - 2), props.textLines) : [];
  const tools = props.toolLines > 0 ? a.tools.slice(-props.toolLines) : [];
  const hidden = a.toolCount - tools.length;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text color={theme.accent}>▶ {a.specId}</Text>
        <Text>{` · attempt ${a.attempt}/${a.maxAttempts} (${formatClock(now - a.startedAt)}) · `}</Text>
        <Text bold>{a.step}</Text>
        <Text>{` ${formatClock(now - a.stepStartedAt)}`}</Text>
        <Text color={theme.muted}>{` · iteration ${a.iteration}`}</Text>
      </Text>
      {a.steps.length > 1 ? <StepList steps={a.steps} /> : null}
      {a.notice ? (
        <Text wrap="truncate-end" color={theme.warn}>
          {`  ⟳ ${a.notice}`}
        </Text>
      ) : null}
      {text.map((line, i) => (
        <Text key={`t${i}`} wrap="truncate-end" color={theme.muted}>
          {`│ ${line}`}
        </Text>
      ))}
      {hidden > 0 && tools.length > 0 ? (
        <Text wrap="truncate-end" color={theme.muted}>
          {`  … ${hidden} earlier tool call${hidden === 1 ? '' : 's'}`}
        </Text>
      ) : null}
      {tools.map((tool) => (
        <ToolLine key={tool.id} tool={tool} details={details} />
      ))}
      {a.validation ? <ValidationLines validation={a.validation} details={details} /> : null}
    </Box>
  );
}

const STEP_ICONS: Record<StepView['status'], string> = {
  pending: '○',
  running: '●',
  ok: '✔',
  failed: '✘',
  skipped: '–',
  stopped: '■',
};

/** The item's workflow steps on one line: done, running, to come. */
export function StepList({ steps }: { steps: StepView[] }) {
  const theme = useTheme();
  const color = (s: StepView) =>
    s.status === 'running'
      ? theme.accent
      : s.status === 'ok'
        ? theme.ok
        : s.status === 'failed'
          ? theme.bad
          : theme.muted;
  return (
    <Text wrap="truncate-end">
      <Text>{'  '}</Text>
      {steps.map((s, i) => (
        <Text key={s.id} color={color(s)}>
          {`${i ? ' · ' : ''}${STEP_ICONS[s.status]} ${s.id}`}
        </Text>
      ))}
    </Text>
  );
}

export function ToolLine({ tool, details }: { tool: ToolView; details: boolean }) {
  const theme = useTheme();
  const icon = tool.status === 'running' ? '…' : tool.status === 'ok' ? '✔' : '✘';
  const color =
    tool.status === 'running' ? theme.accent : tool.status === 'ok' ? theme.ok : theme.bad;
  const text = toolCallText(
    tool.name,
    oneLine(tool.summary),
    tool.status === 'running' ? undefined : oneLine(tool.display ?? ''),
  );
  const duration =
    details && tool.durationMs !== undefined ? ` (${formatDuration(tool.durationMs)})` : '';
  return (
    <Text wrap="truncate-end">
      <Text color={color}>{`  ${icon} `}</Text>
      <Text color={tool.status === 'error' ? theme.bad : undefined}>{text}</Text>
      <Text color={theme.muted}>{duration}</Text>
    </Text>
  );
}

export function checkLabel(check: CheckResult): string {
  return `${check.passed ? '✔' : '✘'} ${check.name}: ${oneLine(check.summary)}`;
}

/** Passed/failed counts and the failing test names. */
export function ValidationLines({
  validation,
  details,
}: {
  validation: ValidationView;
  details: boolean;
}) {
  const theme = useTheme();
  const passed = validation.checks.filter((c) => c.passed).length;
  const failed = validation.checks.length - passed;
  const failingTests = validation.checks.flatMap((c) => c.failedTests ?? []);
  const shown = details ? validation.checks : validation.checks.filter((c) => !c.passed);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text color={validation.passed ? theme.ok : theme.bad}>
          {validation.passed ? '✔ checks passed' : '✘ checks failed'}
        </Text>
        <Text>{` · ${passed} passed, ${failed} failed`}</Text>
        <Text color={theme.muted}>
          {shown.length ? ` · ${shown.map((c) => checkLabel(c)).join(' · ')}` : ''}
        </Text>
      </Text>
      {failingTests.length ? (
        <Text wrap="truncate-end" color={theme.bad}>
          {`  failing: ${failingTests.join(', ')}`}
        </Text>
      ) : null}
    </Box>
  );
}
