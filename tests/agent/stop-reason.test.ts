import type { StopReason, ToolUseBlock } from '@anthropic-ai/sdk/resources/messages';
import { describe, expect, it } from 'vitest';
import { RepeatGuard, TOOL_LOOP_REPEATS } from '../../src/core/agent/repeat-guard.js';
import { nextStep } from '../../src/core/agent/stop-reason.js';

const call = (id: string): ToolUseBlock => ({
  type: 'tool_use',
  id,
  name: 'write_file',
  input: { path: 'a.txt' },
  caller: { type: 'direct' },
});

describe('nextStep: what a stop reason asks for', () => {
  it('decides every stop reason the SDK declares', () => {
    const calls = [call('toolu_1')];
    const steps: Record<StopReason, string> = {
      end_turn: 'finish',
      stop_sequence: 'finish',
      tool_use: 'run_tools',
      max_tokens: 'continue',
      pause_turn: 'resend',
      refusal: 'refusal',
      model_context_window_exceeded: 'compact',
    };
    for (const [reason, kind] of Object.entries(steps)) {
      expect(nextStep(reason as StopReason, calls).kind, reason).toBe(kind);
    }
    expect(nextStep('tool_use', calls)).toEqual({ kind: 'run_tools', calls });
  });

  it('takes a missing stop reason, and tool_use without a call, as the end of the turn', () => {
    expect(nextStep(null, [])).toEqual({ kind: 'finish' });
    expect(nextStep(null, [call('toolu_1')])).toEqual({ kind: 'finish' });
    expect(nextStep('tool_use', [])).toEqual({ kind: 'finish' });
  });

  it('asks a response cut off in its text to go on where it stopped', () => {
    const step = nextStep('max_tokens', []);
    expect(step).toMatchObject({ kind: 'continue', reply: { role: 'user' } });
    expect(step.kind === 'continue' && step.reply.content).toContain(
      'cut off by the output token limit',
    );
  });

  it('answers every call of a cut-off response with an error instead of running it', () => {
    const cut = [call('toolu_1'), call('toolu_2')];
    for (const reason of ['max_tokens', 'model_context_window_exceeded'] as const) {
      const step = nextStep(reason, cut);
      if (step.kind !== 'continue' && step.kind !== 'compact') throw new Error(step.kind);
      expect(step.reply.content).toEqual([
        expect.objectContaining({ type: 'tool_result', tool_use_id: 'toolu_1', is_error: true }),
        expect.objectContaining({ type: 'tool_result', tool_use_id: 'toolu_2', is_error: true }),
      ]);
    }
  });

  it('ends the attempt as finished when a server sends a reason the SDK does not declare', () => {
    expect(nextStep('a_future_reason' as StopReason, [call('toolu_1')])).toEqual({
      kind: 'finish',
    });
  });
});

describe('RepeatGuard', () => {
  const ls = { name: 'shell', input: { command: 'ls' }, summary: '$ ls' };
  const same = { content: 'a.txt', isError: false };

  it(`ends the attempt when the same call returns the same result ${TOOL_LOOP_REPEATS} times in a row`, () => {
    const guard = new RepeatGuard();
    for (let i = 1; i < TOOL_LOOP_REPEATS; i++) expect(guard.record(ls, same)).toBeUndefined();
    expect(guard.record(ls, same)).toBe(
      `the same call ($ ls) returned the same result ${TOOL_LOOP_REPEATS} times in a row`,
    );
  });

  it('counts anew after another call, another result or another error flag', () => {
    const guard = new RepeatGuard();
    const others = [
      { call: { ...ls, input: { command: 'ls -a' } }, result: same },
      { call: ls, result: { content: 'b.txt', isError: false } },
      { call: ls, result: { content: 'a.txt', isError: true } },
    ];
    for (const other of others) {
      for (let i = 1; i < TOOL_LOOP_REPEATS; i++) expect(guard.record(ls, same)).toBeUndefined();
      expect(guard.record(other.call, other.result)).toBeUndefined();
    }
    for (let i = 1; i < TOOL_LOOP_REPEATS; i++) expect(guard.record(ls, same)).toBeUndefined();
    expect(guard.record(ls, same)).toBeDefined();
  });
});
