import type { TimeSplit } from './model.js';
import type { RunEvent, VerdictSummary } from './input.js';

/** What the event log tells about one attempt (keyed by spec id and attempt number). */
export interface AttemptEvents {
  time: TimeSplit | null;
  verdict: VerdictSummary | null;
  /** The agent's error when it ended on one (provider error, refusal). */
  agentError: string | null;
  /** Why the agent stopped (end_turn, max_turns, …). */
  agentStop: string | null;
}

export function attemptKey(specId: string, attempt: number): string {
  return `${specId}\u0000${attempt}`;
}

interface Acc {
  start?: number;
  spanMs: number;
  modelMs: number;
  toolsMs: number;
  validationMs: number;
  requestAt: Map<number, number>;
  validateAt?: number;
  seen: boolean;
  verdict: VerdictSummary | null;
  agentError: string | null;
  agentStop: string | null;
}

const ms = (t: string): number => Date.parse(t);

/**
 * Split each attempt's wall time into model, tools, validation and the rest, from the
 * event times: model = request_start → usage of each turn; tools = the tool results'
 * durations; validation = the `validate` step → the validation event. An attempt whose
 * events are missing gets `time: null` ("not recorded").
 */
export function attemptEvents(events: readonly RunEvent[]): Map<string, AttemptEvents> {
  const accs = new Map<string, Acc>();
  const acc = (specId: string, attempt: number): Acc => {
    const key = attemptKey(specId, attempt);
    let a = accs.get(key);
    if (!a) {
      a = {
        spanMs: 0,
        modelMs: 0,
        toolsMs: 0,
        validationMs: 0,
        requestAt: new Map(),
        seen: false,
        verdict: null,
        agentError: null,
        agentStop: null,
      };
      accs.set(key, a);
    }
    return a;
  };
  for (const e of events) {
    const t = ms(e.t);
    if (!Number.isFinite(t)) continue;
    switch (e.type) {
      case 'attempt_start': {
        const a = acc(e.specId, e.attempt);
        a.start = t;
        a.seen = true;
        break;
      }
      case 'step': {
        if (e.step === 'validate') acc(e.specId, e.attempt).validateAt = t;
        break;
      }
      case 'agent': {
        const a = acc(e.specId, e.attempt);
        const ev = e.event;
        if (ev.type === 'request_start') a.requestAt.set(ev.turn, t);
        else if (ev.type === 'usage') {
          const from = a.requestAt.get(ev.turn);
          if (from !== undefined) a.modelMs += Math.max(0, t - from);
          a.requestAt.delete(ev.turn);
        } else if (ev.type === 'tool_result') a.toolsMs += Math.max(0, ev.durationMs);
        else if (ev.type === 'attempt_end') {
          a.agentStop = ev.reason;
          if (ev.error) a.agentError = ev.error;
        }
        break;
      }
      case 'validation': {
        const a = acc(e.specId, e.attempt);
        if (a.validateAt !== undefined) a.validationMs += Math.max(0, t - a.validateAt);
        else a.validationMs += e.checks.reduce((sum, c) => sum + c.durationMs, 0);
        a.validateAt = undefined;
        if (e.verdict) a.verdict = e.verdict;
        break;
      }
      case 'attempt_end': {
        const a = acc(e.specId, e.attempt);
        if (a.start !== undefined) a.spanMs += Math.max(0, t - a.start);
        a.start = undefined;
        break;
      }
      default:
        break;
    }
  }
  const out = new Map<string, AttemptEvents>();
  for (const [key, a] of accs) {
    const busy = a.modelMs + a.toolsMs + a.validationMs;
    out.set(key, {
      time:
        a.seen && a.spanMs > 0
          ? {
              modelMs: a.modelMs,
              toolsMs: a.toolsMs,
              validationMs: a.validationMs,
              otherMs: Math.max(0, a.spanMs - busy),
            }
          : null,
      verdict: a.verdict,
      agentError: a.agentError,
      agentStop: a.agentStop,
    });
  }
  return out;
}

/** The sum of the recorded splits; null when none is recorded. */
export function sumTime(splits: readonly (TimeSplit | null)[]): TimeSplit | null {
  let any = false;
  const total: TimeSplit = { modelMs: 0, toolsMs: 0, validationMs: 0, otherMs: 0 };
  for (const s of splits) {
    if (!s) continue;
    any = true;
    total.modelMs += s.modelMs;
    total.toolsMs += s.toolsMs;
    total.validationMs += s.validationMs;
    total.otherMs += s.otherMs;
  }
  return any ? total : null;
}
