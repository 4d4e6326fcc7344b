import { Box, Static, Text, useInput, useStdin, useStdout } from 'ink';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { totalTokens } from '../../core/llm/usage.js';
import { formatTokens } from '../format.js';
import { liveElapsed, liveUsage, type LogItem } from '../run-view.js';
import type { StopControl, StopState } from '../stop-control.js';
import { AttemptPanel } from './AttemptPanel.js';
import { runGauges } from './gauge.js';
import { Gauges } from './Gauges.js';
import { Header } from './Header.js';
import { LANE_ID_WIDTH, LanePanel, laneFit } from './LanePanel.js';
import { liveLayout } from './layout.js';
import { LogLine } from './LogLine.js';
import { SpecList } from './SpecList.js';
import type { RunViewStore } from './store.js';
import { Summary } from './Summary.js';
import { useTheme } from './theme.js';

export interface RunAppProps {
  store: RunViewStore;
  control: StopControl;
  /** The clock for elapsed times (tests pass a fixed one). */
  now?: () => number;
  /** Override the terminal size (otherwise read from stdout). */
  columns?: number;
  rows?: number;
}

function useStopState(control: StopControl): StopState {
  const [state, setState] = useState(control.state);
  useEffect(() => control.onChange(setState), [control]);
  return state;
}

/** Re-render every second while `active` (for elapsed times); returns the current time. */
function useTicker(now: () => number, active: boolean): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(id);
  }, [active]);
  return now();
}

/** The live view of a run: scrollback of finished attempts, then the live area. */
export function RunApp(props: RunAppProps) {
  const { store, control } = props;
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const theme = useTheme();
  const { stdout } = useStdout();
  const { isRawModeSupported } = useStdin();
  const [details, setDetails] = useState(false);
  const stop = useStopState(control);
  const now = useTicker(props.now ?? Date.now, !state.end);

  useInput(
    (input, key) => {
      if (input === 'q' || (key.ctrl && input === 'c')) control.press();
      else if (input === 'd') setDetails((d) => !d);
    },
    { isActive: isRawModeSupported === true },
  );

  const columns = props.columns ?? (stdout.columns || 80);
  const rows = props.rows ?? (stdout.rows || 24);
  const live = liveUsage(state);
  const gauges = runGauges({
    cost: live.cost,
    tokens: totalTokens(live.usage),
    elapsedMs: liveElapsed(state, now),
    limits: state.limits,
  });
  const cur = state.current;
  const validationLines = cur?.validation
    ? cur.validation.checks.some((c) => c.failedTests?.length)
      ? 2
      : 1
    : 0;
  // header, attempt line, "earlier tool calls", gauges, footer + notice + validation
  const fixed = 5 + (cur?.notice ? 1 : 0) + validationLines + (details ? 1 : 0);
  // In a parallel run: header, merge queue, gauges, footer, at least two spec lines.
  const laneRoom = Math.max(1, rows - 1 - 6 - (details ? 1 : 0));
  const laneLines = laneFit(state.lanes.length, details, laneRoom).lines;
  const layout = state.laneMode
    ? liveLayout({
        rows,
        specCount: state.specs.length,
        details,
        fixed: 4 + laneLines + (details ? 1 : 0),
      })
    : liveLayout({ rows, specCount: state.specs.length, details, fixed });

  return (
    <>
      <Static items={state.log}>
        {(item: LogItem) => (
          <Box key={item.key} width={columns}>
            <LogLine item={item} />
          </Box>
        )}
      </Static>
      <Box flexDirection="column" width={columns}>
        <Header state={state} />
        {state.end ? (
          <Summary end={state.end} runId={state.runId} specLimit={Math.max(3, rows - 10)} />
        ) : (
          <>
            <SpecList specs={state.specs} limit={layout.specs} />
            {state.laneMode && state.lanes.length ? (
              <LanePanel
                lanes={state.lanes}
                idWidth={Math.min(
                  LANE_ID_WIDTH,
                  Math.max(
                    ...state.specs.map((s) => s.id.length),
                    ...state.lanes.map((l) => l.specId.length),
                  ),
                )}
                mergeQueue={state.mergeQueue}
                merging={state.merging}
                now={now}
                width={columns}
                limit={laneRoom}
                details={details}
              />
            ) : cur ? (
              <AttemptPanel
                attempt={cur}
                now={now}
                width={columns}
                textLines={layout.text}
                toolLines={layout.tools}
                details={details}
              />
            ) : state.started ? (
              <Text color={theme.muted}>
                {state.log.some((item) => item.kind === 'attempt')
                  ? '· between attempts'
                  : '· preparing the first attempt…'}
              </Text>
            ) : null}
            <Gauges gauges={gauges} width={columns} />
            {details ? (
              <Text wrap="truncate-end" color={theme.muted}>
                {`tokens in ${formatTokens(live.usage.input)} · out ${formatTokens(live.usage.output)} · cache write ${formatTokens(live.usage.cacheWrite)} / read ${formatTokens(live.usage.cacheRead)} · iteration ${state.totals.iterations}/${state.limits.maxIterations} · ${state.totals.commits} commits`}
              </Text>
            ) : null}
            <Footer stop={stop} details={details} keys={isRawModeSupported === true} />
          </>
        )}
      </Box>
    </>
  );
}

function Footer({ stop, details, keys }: { stop: StopState; details: boolean; keys: boolean }) {
  const theme = useTheme();
  if (stop === 'stopping') {
    return (
      <Text wrap="truncate-end" color={theme.warn}>
        {`stopping after the current tool call… ${keys ? 'q' : 'Ctrl-C'} again to abort`}
      </Text>
    );
  }
  if (stop === 'aborting') {
    return (
      <Text wrap="truncate-end" color={theme.bad}>
        aborting…
      </Text>
    );
  }
  if (!keys) {
    return (
      <Text wrap="truncate-end" color={theme.muted}>
        Ctrl-C stop
      </Text>
    );
  }
  return (
    <Text wrap="truncate-end" color={theme.muted}>
      {`q stop · d ${details ? 'fewer' : 'more'} details`}
    </Text>
  );
}
