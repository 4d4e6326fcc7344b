import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { improve, improveRepo, runEnd } from '../improve/helpers.js';
import { writeTree } from '../support/tmp.js';
import {
  expectCheckoutUnchanged,
  expectNoSecretLeaked,
  hostileEnv,
  hostileModel,
  snapshotCheckout,
} from './harness.js';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('containment harness', () => {
  it('an honest run leaves the checkout (with uncommitted work) as it was and leaks nothing', async () => {
    const repo = improveRepo([{ id: 's1', title: 'Add a', checks: ['file_exists: a.txt'] }]);
    writeTree(repo, { 'README.md': '# edited, not committed\n', 'notes.txt': 'untracked\n' });
    const before = snapshotCheckout(repo);
    const model = hostileModel({ hostile: {}, honest: { s1: { path: 'a.txt', text: 'a\n' } } });
    fake = await startFakeAnthropic({ script: model.responder });
    const r = await improve(repo, [], hostileEnv(fake.url));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(runEnd(r.stdout).status).toBe('completed');
    expectCheckoutUnchanged(repo, before);
    expectNoSecretLeaked(repo, r, model.toolResults);
  });
});
