import { Text } from 'ink';
import type { RunViewState } from '../run-view.js';
import { useTheme } from './theme.js';

/** One line: run id, branch, model, workflow. */
export function Header({ state }: { state: RunViewState }) {
  const theme = useTheme();
  if (!state.started) {
    return (
      <Text wrap="truncate-end" color={theme.muted}>
        mmm · starting…
      </Text>
    );
  }
  const parts = [
    `run ${state.runId}`,
    state.branch,
    state.model,
    `workflow ${state.workflow}`,
    ...(state.resumed ? ['resumed'] : []),
  ];
  return (
    <Text wrap="truncate-end">
      <Text bold color={theme.accent}>
        mmm
      </Text>
      <Text> · {parts.join(' · ')}</Text>
    </Text>
  );
}
