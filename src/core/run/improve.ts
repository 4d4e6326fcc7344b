import { setLogFile, logger } from '../log.js';
import { ExitCode } from '../errors.js';
import { createEventRedactor } from '../secrets/redact-events.js';
import { EventChannel } from './channel.js';
import { openEventLog, type EventLog } from './store/event-log.js';
import type { RunEvent, RunEventBody, RunHandle } from './events.js';
import { finishRun } from './lifecycle/finish.js';
import { runWorkflow, type LoopEnd } from './interpreter/run-workflow.js';
import { parallelWidth } from './parallel/lane-state.js';
import type { ImproveOptions, RunResult } from './options.js';
import { specSummaries } from './interpreter/plan.js';
import { prepareResume } from './lifecycle/resume.js';
import { saveRunState, type RunSession } from './session.js';
import { prepareNewRun } from './lifecycle/setup.js';
import { RunStopper } from './stop.js';

export type { ImproveOptions, RunResult } from './options.js';

const log = logger('improve');

/**
 * `mmm improve`: start (or resume) a run and hand back its event stream at once.
 * Readers iterate `events`; `result` settles when the run has ended and released its
 * lock. A precondition that fails (not a repository, invalid config or specs, lock held:
 * exit 2; no credentials: exit 4) rejects `result` with that error and ends the stream
 * without events; nothing was changed. Every event is also appended to the run's
 * events.jsonl (text deltas excepted: the full texts are logged as `text` events).
 */
export function startImprove(options: ImproveOptions): RunHandle & { result: Promise<RunResult> } {
  const channel = new EventChannel<RunEvent>();
  const stopper = new RunStopper();
  const result = drive(options, channel, stopper).finally(() => channel.close());
  // The caller awaits `result`; this keeps an unobserved rejection from crashing the process.
  result.catch(() => undefined);
  return {
    events: channel,
    requestStop: () => stopper.requestStop(),
    abort: () => stopper.abort(),
    result,
  };
}

function emitter(
  session: RunSession,
  channel: EventChannel<RunEvent>,
): (body: RunEventBody) => void {
  let file: EventLog | undefined;
  try {
    file = openEventLog(session.paths.events);
  } catch (error) {
    log.error('cannot open the event log', { error: String(error) });
  }
  // Secret values are redacted here, the one place events are made (secrets/redact-events.ts).
  const redactEvent = createEventRedactor();
  return (body) => {
    const event = redactEvent({
      t: new Date().toISOString(),
      runId: session.state.runId,
      ...body,
    } as RunEvent);
    if (!event) return;
    if (!(event.type === 'agent' && event.event.type === 'text_delta')) {
      try {
        file?.append(event);
      } catch (error) {
        log.error('cannot append to the event log', { error: String(error) });
      }
    }
    channel.push(event);
  };
}

async function drive(
  options: ImproveOptions,
  channel: EventChannel<RunEvent>,
  stopper: RunStopper,
): Promise<RunResult> {
  const session = options.resume
    ? await prepareResume(options, stopper)
    : await prepareNewRun(options, stopper);
  setLogFile(session.paths.debugLog);
  const { state } = session;
  const emit = emitter(session, channel);
  try {
    emit({
      type: 'run_start',
      branch: state.branch,
      worktree: state.worktree,
      baseCommit: state.baseCommit,
      model: session.engine.model,
      workflow: state.workflow,
      steps: session.workflow.steps.map((s) => ({ id: s.id, kind: s.kind })),
      specs: specSummaries(state, session.specs),
      limits: state.limits,
      resumed: session.resumed,
      ...(parallelWidth(session, session.workflow) > 1
        ? { parallel: parallelWidth(session, session.workflow) }
        : {}),
    });
    for (const message of session.warnings) emit({ type: 'warning', message });
    if (session.baselineEvent) emit(session.baselineEvent);
    stopper.onStop(() => {
      emit({
        type: 'warning',
        message:
          'stopping: the current tool call finishes, then the run checkpoints and ends (again to abort at once)',
      });
      stopper.signal.addEventListener(
        'abort',
        () =>
          emit({
            type: 'warning',
            message: 'aborting: the running request, tool or check is stopped now',
          }),
        { once: true },
      );
    });
    emit({ type: 'totals', totals: state.totals, limits: state.limits });

    let end: LoopEnd;
    try {
      const engine = runWorkflow(session, session.workflow);
      for (;;) {
        const next = await engine.next();
        if (next.done) {
          end = next.value;
          break;
        }
        emit(next.value);
      }
    } catch (error) {
      // An unexpected failure (git, file system): the state stays resumable.
      const message = error instanceof Error ? error.message : String(error);
      log.error('run failed', {
        error: message,
        stack: error instanceof Error ? error.stack : undefined,
      });
      state.status = 'interrupted';
      state.stopReason = `internal error: ${message}`;
      await saveRunState(session).catch(() => undefined);
      emit({
        type: 'run_end',
        status: 'interrupted',
        reason: `internal error: ${message}`,
        exitCode: ExitCode.WorkFailed,
        branch: state.branch,
        specs: specSummaries(state, session.specs),
        totals: state.totals,
        next: [`mmm improve --resume ${state.runId}`],
      });
      throw error;
    }
    const { events, exitCode } = await finishRun(session, end);
    for (const event of events) emit(event);
    return { exitCode, status: end.status, runId: state.runId, branch: state.branch };
  } finally {
    await session.tools.dispose().catch(() => undefined);
    await session.lock.release().catch(() => undefined);
  }
}
