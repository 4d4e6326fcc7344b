import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/core/run/events.js';
import { Redactor, base64Cores } from '../../src/core/secrets/redact.js';
import { createEventRedactor } from '../../src/core/secrets/redact-events.js';
import { redactRequest } from '../../src/core/secrets/redact-request.js';
import { scanDiff, secretFeedback } from '../../src/core/secrets/diff-scan.js';
import {
  collectSecretValues,
  isSecretName,
  withoutSecrets,
} from '../../src/core/secrets/secret-values.js';
import { agentEnv } from '../../src/core/tools/shell-env.js';

const KEY = 'sk-ant-api03-unit-key-0123456789';
const TOKEN = 'ghp_unitTOKENabcdef012345';

function redactor(): Redactor {
  return new Redactor(
    collectSecretValues({ ANTHROPIC_API_KEY: KEY, GITHUB_TOKEN: TOKEN, HOME: '/home/u' }),
  );
}

describe('secret values', () => {
  it('takes credential-like variables and leaves short, common and visible values out', () => {
    const found = collectSecretValues({
      ANTHROPIC_API_KEY: ` ${KEY}\n`,
      GITHUB_TOKEN: TOKEN,
      AWS_SECRET_ACCESS_KEY: 'short',
      MY_PASSWORD: 'true',
      SOME_AUTH_ENABLED: 'disabled',
      DB_SESSION_TIMEOUT: '86400000000',
      CACHE_KEY_DIR: '/home/u',
      HOME: '/home/u',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9999',
      AWS_REGION: 'eu-central-1',
      MMM_MODEL: 'claude-sonnet-4-5',
      GIT_AUTHOR_NAME: 'Jane Doe-Smith',
      PATH: '/usr/bin:/bin',
    });
    expect(found).toEqual([
      { name: 'ANTHROPIC_API_KEY', value: ` ${KEY}\n` },
      { name: 'ANTHROPIC_API_KEY', value: KEY },
      { name: 'GITHUB_TOKEN', value: TOKEN },
    ]);
  });

  it('takes the password of a URL in a scrubbed variable', () => {
    const found = collectSecretValues({
      ANTHROPIC_BASE_URL: 'https://mmm:pr0xy-p%40ssword@proxy.example.com/v1',
    });
    expect(found).toEqual([{ name: 'ANTHROPIC_BASE_URL', value: 'pr0xy-p@ssword' }]);
  });

  it('one scrub list: the agent and validation env lose secrets but keep git identity', () => {
    expect(isSecretName('GIT_AUTHOR_NAME')).toBe(false);
    expect(isSecretName('ANTHROPIC_AUTH_TOKEN')).toBe(true);
    expect(isSecretName('AWS_REGION')).toBe(true);
    expect(isSecretName('KEYTIMEOUT')).toBe(false);
    const env = agentEnv({
      ANTHROPIC_API_KEY: KEY,
      GITHUB_TOKEN: TOKEN,
      GIT_AUTHOR_NAME: 'Jane',
      PATH: '/bin',
      BASH_ENV: '/x',
    });
    expect(env.ANTHROPIC_API_KEY).toBeUndefined();
    expect(env.GITHUB_TOKEN).toBeUndefined();
    expect(env.BASH_ENV).toBeUndefined();
    expect(env).toMatchObject({ GIT_AUTHOR_NAME: 'Jane', PATH: '/bin', CI: 'true' });
    expect(withoutSecrets({ NPM_CONFIG__AUTH: 'x', A: 'b' })).toEqual({ A: 'b' });
  });
});

describe('redactor', () => {
  it('replaces every occurrence with the variable name, never leaving a part', () => {
    const r = redactor();
    expect(r.redact(`key=${KEY} again ${KEY}; gh ${TOKEN}`)).toBe(
      'key=[redacted:ANTHROPIC_API_KEY] again [redacted:ANTHROPIC_API_KEY]; gh [redacted:GITHUB_TOKEN]',
    );
    expect(r.redact('nothing secret here /home/u')).toBe('nothing secret here /home/u');
    expect(r.find(`x ${TOKEN}`)).toEqual(['GITHUB_TOKEN']);
    expect(new Redactor().redact(KEY)).toBe(KEY);
  });

  it('prefers the longest value when one secret contains another', () => {
    const r = new Redactor([
      { name: 'SHORT_TOKEN', value: 'abcdefgh12' },
      { name: 'LONG_TOKEN', value: 'xx-abcdefgh12-yy' },
    ]);
    expect(r.redact('xx-abcdefgh12-yy and abcdefgh12')).toBe(
      '[redacted:LONG_TOKEN] and [redacted:SHORT_TOKEN]',
    );
  });

  it('finds the key inside base64 at every offset (base64 /proc/$PPID/environ)', () => {
    const r = redactor();
    for (const prefix of ['', 'A', 'AB', 'PATH=/bin\0ANTHROPIC_API_KEY=']) {
      const blob = Buffer.from(`${prefix}${KEY}\0HOME=/home/u`).toString('base64');
      const out = r.redact(blob);
      expect(out, prefix).toContain('[redacted:ANTHROPIC_API_KEY]');
      // What is left cannot be decoded back to the key.
      expect(
        Buffer.from(out.replace(/\[redacted:[A-Z_]+\]/g, ''), 'base64').toString(),
      ).not.toContain(KEY);
    }
    expect(base64Cores('short')).toEqual([]);
  });

  it('redacts pieces of 16 characters or more on their own (a key printed in halves)', () => {
    const r = redactor();
    const half = KEY.length / 2;
    expect(r.redact(`first ${KEY.slice(0, half)}`)).toBe('first [redacted:ANTHROPIC_API_KEY]');
    expect(r.redact(`then ${KEY.slice(half)}!`)).toBe('then [redacted:ANTHROPIC_API_KEY]!');
    // A piece inside a longer word is cut out, the rest of the word stays.
    expect(r.redact(`zz${KEY.slice(3, 19)}zz`)).toBe('zz[redacted:ANTHROPIC_API_KEY]zz');
    expect(r.find(`a file with ${KEY.slice(8, 26)}`)).toEqual(['ANTHROPIC_API_KEY']);
    // The key's fixed prefix and shorter pieces are left alone.
    expect(r.redact('keys look like sk-ant-api03-…')).toBe('keys look like sk-ant-api03-…');
    expect(r.redact(KEY.slice(0, 15))).toBe(KEY.slice(0, 15));
    expect(r.find('sk-ant-api03-xyz')).toEqual([]);
  });

  it('finds the key as hex, either case, wrapped into lines or not (xxd -p)', () => {
    const r = redactor();
    const hex = Buffer.from(`ANTHROPIC_API_KEY=${KEY}\n`).toString('hex');
    for (const form of [hex, hex.toUpperCase(), hex.replace(/.{60}/g, '$&\n')]) {
      const out = r.redact(form);
      expect(out).toContain('[redacted:ANTHROPIC_API_KEY]');
      expect(out.replace(/\n/g, '').toLowerCase()).not.toContain(
        Buffer.from(KEY).toString('hex').slice(0, 24),
      );
    }
  });

  it('holds back a stream chunk end that could begin a piece of a secret', () => {
    const r = redactor();
    expect(r.holdLength(`text ${KEY.slice(10, 20)}`)).toBe(10);
    expect(r.holdLength('plain text.')).toBe(0);
  });

  it('finds the key in base64 wrapped into lines, at every offset', () => {
    const r = redactor();
    for (let pad = 0; pad < 80; pad += 7) {
      const blob = Buffer.from(`${'x'.repeat(pad)}ANTHROPIC_API_KEY=${KEY}\0HOME=/home/u`)
        .toString('base64')
        .replace(/.{76}/g, '$&\n');
      const out = r.redact(blob);
      expect(out, String(pad)).toContain('[redacted:ANTHROPIC_API_KEY]');
      const left = Buffer.from(out.replace(/\[redacted:[A-Z_]+\]|\n/g, ''), 'base64').toString();
      expect(left).not.toContain(KEY.slice(0, 12));
      expect(r.find(blob)).toEqual(['ANTHROPIC_API_KEY']);
    }
  });

  it('redacts strings and keys of JSON values, and inside JSON text', () => {
    const r = redactor();
    const value = { a: [KEY, 1, null, { [TOKEN]: `x${KEY}` }], b: true };
    expect(r.redactDeep(value)).toEqual({
      a: [
        '[redacted:ANTHROPIC_API_KEY]',
        1,
        null,
        { '[redacted:GITHUB_TOKEN]': 'x[redacted:ANTHROPIC_API_KEY]' },
      ],
      b: true,
    });
    expect(value.a[0]).toBe(KEY); // the input is not changed
    const quoted = new Redactor([{ name: 'X_TOKEN', value: 'tok"en\\with-quote' }]);
    const text = quoted.stringify({ s: 'say tok"en\\with-quote' }, 2);
    expect(text).not.toContain('en\\\\with-quote');
    expect(JSON.parse(text)).toEqual({ s: 'say [redacted:X_TOKEN]' });
  });

  it('holds back the end of a stream chunk that could begin a secret', () => {
    const r = redactor();
    expect(r.holdLength(`text ${KEY.slice(0, 10)}`)).toBe(10);
    expect(r.holdLength('text s')).toBe(1);
    expect(r.holdLength('plain text.')).toBe(0);
  });
});

function delta(text: string, turn = 1): RunEvent {
  return {
    t: 't',
    runId: 'r',
    type: 'agent',
    specId: 's1',
    attempt: 1,
    event: { type: 'text_delta', turn, text },
  } as RunEvent;
}

describe('event redactor', () => {
  it('never lets a key split over text deltas through, and redacts every other event', () => {
    const redactEvent = createEventRedactor(redactor());
    const chunks = ['The key is ', KEY.slice(0, 12), KEY.slice(12), ' and done ', 'sk'];
    const out = chunks.map((c) => redactEvent(delta(c)));
    const streamed = out
      .map((e) => (e?.type === 'agent' && e.event.type === 'text_delta' ? e.event.text : ''))
      .join('');
    expect(streamed).toBe('The key is [redacted:ANTHROPIC_API_KEY] and done ');
    expect(out[1]).toBeUndefined(); // all of it could be the start of the key
    const text = redactEvent({
      t: 't',
      runId: 'r',
      type: 'agent',
      specId: 's1',
      attempt: 1,
      event: { type: 'text', turn: 1, text: `The key is ${KEY} and done sk` },
    } as RunEvent);
    expect(JSON.stringify(text)).not.toContain(KEY);
    // The held-back "sk" is dropped with the turn's end, not glued to the next turn.
    const next = redactEvent(delta('Next turn.', 2));
    expect(next).toMatchObject({ event: { text: 'Next turn.' } });
    const end = redactEvent({
      t: 't',
      runId: 'r',
      type: 'run_end',
      reason: `internal error: ${TOKEN}`,
    } as unknown as RunEvent);
    expect(end).toMatchObject({ reason: 'internal error: [redacted:GITHUB_TOKEN]' });
  });
});

describe('request redaction', () => {
  it('redacts the system prompt and messages but leaves signed thinking blocks alone', () => {
    const request = {
      system: [{ type: 'text', text: `feedback: ${KEY}` }],
      messages: [
        { role: 'user', content: `task ${TOKEN}` },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: `I saw ${KEY}`, signature: 'sig' },
            { type: 'tool_use', id: 't1', name: 'bash', input: { command: `echo ${KEY}` } },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: KEY }] },
      ],
      max_tokens: 10,
    };
    const out = redactRequest(request, redactor());
    const text = JSON.stringify(out);
    expect(text.split(KEY).length - 1).toBe(1); // only inside the thinking block
    expect(text).not.toContain(TOKEN);
    expect(out.max_tokens).toBe(10);
  });
});

describe('diff scan', () => {
  it('names the files whose added lines or names hold a secret, never the value', () => {
    const diff = [
      'diff --git a/src/ok.ts b/src/ok.ts',
      '--- a/src/ok.ts',
      '+++ b/src/ok.ts',
      '@@ -1 +1 @@',
      `-const old = "${KEY}";`,
      '+const fine = 1;',
      'diff --git a/leak.txt b/leak.txt',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/leak.txt',
      '@@ -0,0 +1,2 @@',
      '+harmless',
      `+++ ${KEY}`,
      `diff --git a/dump-${TOKEN} b/dump-${TOKEN}`,
      'new file mode 100644',
      `--- /dev/null`,
      `+++ b/dump-${TOKEN}`,
      '@@ -0,0 +1 @@',
      '+x',
      '',
    ].join('\n');
    const findings = scanDiff(diff, redactor());
    expect(findings).toEqual([
      { file: 'leak.txt', names: ['ANTHROPIC_API_KEY'] },
      { file: 'dump-[redacted:GITHUB_TOKEN]', names: ['GITHUB_TOKEN'] },
    ]);
    const feedback = secretFeedback(findings);
    expect(feedback).toContain('leak.txt: the value of $ANTHROPIC_API_KEY');
    expect(feedback).not.toContain(KEY);
    expect(feedback).not.toContain(TOKEN);
  });
});
