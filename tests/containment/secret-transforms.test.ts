/**
 * Without the sandbox the agent's shell can read mmm's environment from /proc. Raw and
 * base64 values are redacted (secrets.test.ts); these probes print the API key in the
 * other shapes a model reaches for first: split in two over two commands, and as hex.
 * Neither half, nor the hex, may reach the model or anything mmm writes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { improve, improveRepo, runEnd } from '../improve/helpers.js';
import { SECRETS, expectNoSecretLeaked, hostileEnv, hostileModel } from './harness.js';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const KEY = SECRETS.ANTHROPIC_API_KEY;
const READ_KEY =
  "k=$(tr '\\0' '\\n' </proc/$PPID/environ | grep '^ANTHROPIC_API_KEY=' | cut -d= -f2-)";

describe('sandbox off: the key split or re-encoded', () => {
  it('halves over two commands and hex dumps come out redacted', async () => {
    const repo = improveRepo([{ id: 's1', title: 'Add a', checks: ['file_exists: a.txt'] }]);
    const half = Math.ceil(KEY.length / 2);
    const model = hostileModel({
      hostile: {
        s1: [
          { bash: `${READ_KEY}; echo "first: \${k:0:${half}}"` },
          { bash: `${READ_KEY}; echo "second: \${k:${half}}"` },
          { bash: `${READ_KEY}; printf %s "$k" | xxd -p` },
          { bash: `${READ_KEY}; printf %s "$k" | od -An -v -tx1 | tr -d ' \\n'` },
          { bash: `${READ_KEY}; printf %s "$k" | xxd -p -u -c 200` },
        ],
      },
      honest: { s1: { path: 'a.txt', text: 'a\n' } },
    });
    fake = await startFakeAnthropic({ script: model.responder });
    const r = await improve(repo, [], hostileEnv(fake.url, {}, 'off'));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(runEnd(r.stdout).status).toBe('completed');
    const seen = model.toolResults.join('\n');
    expect(seen).toContain('first: [redacted:ANTHROPIC_API_KEY]');
    expect(seen).toContain('second: [redacted:ANTHROPIC_API_KEY]');
    const sent = JSON.stringify(fake.requests.map((q) => q.body));
    const hex = Buffer.from(KEY).toString('hex');
    for (const [where, text] of [
      ['tool results', seen],
      ['requests', sent],
    ] as const) {
      expect(text).not.toContain(KEY.slice(0, half));
      expect(text).not.toContain(KEY.slice(half));
      const joined = text.replace(/\\n|\s/g, '').toLowerCase();
      expect(joined.includes(hex), `hex of the key in ${where}`).toBe(false);
    }
    expectNoSecretLeaked(repo, r, model.toolResults);
  });
});
