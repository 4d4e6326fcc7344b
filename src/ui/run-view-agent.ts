import { addCost, addUsage } from '../core/llm/usage.js';
import type { RunEvent } from '../core/run/events.js';
import type { AttemptView, RunViewState } from './run-view-types.js';

/** The part of `reduceRunView` for `agent` events: text, tool calls, usage, retries. */

/** How many tool lines the state keeps for the live view. */
export const MAX_TOOL_LINES = 12;

/**
 * Apply a patch to the attempt the event is about: the current attempt of a serial run,
 * or the attempt running in a lane of a parallel run.
 */
export function patchCurrent(
  state: RunViewState,
  specId: string,
  attempt: number,
  patch: (a: AttemptView) => Partial<AttemptView>,
): RunViewState {
  let next = state;
  const cur = state.current;
  if (cur && cur.specId === specId && cur.attempt === attempt) {
    next = { ...next, current: { ...cur, ...patch(cur) } };
  }
  const i = state.lanes.findIndex((l) => l.specId === specId && l.attempt === attempt);
  const lane = state.lanes[i];
  if (lane) {
    const lanes = [...state.lanes];
    lanes[i] = { ...lane, ...patch(lane) };
    next = { ...next, lanes };
  }
  return next;
}

export function reduceAgent(
  state: RunViewState,
  event: Extract<RunEvent, { type: 'agent' }>,
): RunViewState {
  const e = event.event;
  switch (e.type) {
    case 'request_start':
      return patchCurrent(state, event.specId, event.attempt, () => ({
        turn: e.turn,
        notice: undefined,
      }));
    case 'text_delta':
      return patchCurrent(state, event.specId, event.attempt, (a) => ({
        text: a.turn === e.turn && !a.textFinal ? a.text + e.text : e.text,
        turn: e.turn,
        textFinal: false,
      }));
    case 'text':
      return patchCurrent(state, event.specId, event.attempt, () => ({
        text: e.text,
        turn: e.turn,
        textFinal: true,
      }));
    case 'tool_call':
      return patchCurrent(state, event.specId, event.attempt, (a) => ({
        tools: [
          ...a.tools,
          { id: e.id, name: e.name, summary: e.summary, status: 'running' as const },
        ].slice(-MAX_TOOL_LINES),
        toolCount: a.toolCount + 1,
      }));
    case 'tool_result':
      return patchCurrent(state, event.specId, event.attempt, (a) => ({
        tools: a.tools.map((t) =>
          t.id === e.id
            ? {
                ...t,
                status: e.ok ? ('ok' as const) : ('error' as const),
                display: e.display,
                durationMs: e.durationMs,
              }
            : t,
        ),
        toolErrors: a.toolErrors + (e.ok ? 0 : 1),
      }));
    case 'usage':
      return {
        ...state,
        sinceTotals: {
          usage: addUsage(state.sinceTotals.usage, e.usage),
          cost: addCost(state.sinceTotals.cost, e.cost),
        },
      };
    case 'retry':
      // The request is sent again and its text streamed from the start: drop the partial text.
      return patchCurrent(state, event.specId, event.attempt, (a) => ({
        notice: `retry ${e.retry} in ${Math.ceil(e.delayMs / 1000)}s: ${e.reason}`,
        ...(a.turn === e.turn && !a.textFinal ? { text: '' } : {}),
      }));
    case 'attempt_end':
      return patchCurrent(state, event.specId, event.attempt, () => ({
        agentEnd: { reason: e.reason, turns: e.turns, error: e.error },
        notice: undefined,
      }));
    default:
      return state;
  }
}
