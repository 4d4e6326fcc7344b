import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** docs/events.md must document every event type with an example line that parses. */
const doc = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
const examples = [...doc.matchAll(/```jsonl\n([\s\S]*?)\n```/g)].flatMap((m) =>
  (m[1] ?? '').split('\n').map((line) => JSON.parse(line) as Record<string, unknown>),
);

const RUN_TYPES = [
  'run_start',
  'attempt_start',
  'step',
  'step_start',
  'step_end',
  'agent',
  'validation',
  'attempt_end',
  'spec_status',
  'totals',
  'warning',
  'lane',
  'baseline',
  'run_end',
];
const AGENT_TYPES = [
  'request_start',
  'text_delta',
  'text',
  'tool_call',
  'tool_result',
  'usage',
  'retry',
  'compaction',
  'turn_end',
  'attempt_end',
];

describe('docs/events.md', () => {
  it('has a heading and a parsable example for every run event type', () => {
    for (const type of RUN_TYPES) {
      expect(doc).toContain(`### \`${type}\``);
      expect(examples.some((e) => e.type === type)).toBe(true);
    }
    for (const e of examples) {
      expect(typeof e.t).toBe('string');
      expect(typeof e.runId).toBe('string');
      expect(RUN_TYPES).toContain(e.type);
    }
  });

  it('documents and exemplifies every agent event type', () => {
    const agentTypes = examples
      .filter((e) => e.type === 'agent')
      .map((e) => (e.event as { type: string }).type);
    for (const type of AGENT_TYPES) {
      expect(doc).toMatch(new RegExp(`\\|\\s*\`${type}\`\\s*\\|`));
      expect(agentTypes).toContain(type);
    }
  });
});
