import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import {
  describeTurn,
  fileWritingModel,
  improve,
  improveRepo,
  modelEnv,
  specFile,
  TEST_CONFIG,
} from '../improve/helpers.js';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('specs.max_size in a run', () => {
  it('caps what the model reads of a large spec at the configured size, naming the file', async () => {
    const big = `${specFile({ id: 'big', title: 'Big spec', checks: ['file_exists: big.txt'] })}\n## Details\n\n${'lorem ipsum '.repeat(2000)}\n`;
    const repo = improveRepo([], {
      '.mmm/config.toml': `${TEST_CONFIG}\n[specs]\nmax_size = 4096\n`,
      'specs/01-big.md': big,
    });
    fake = await startFakeAnthropic({
      script: fileWritingModel({ big: { path: 'big.txt', text: 'big\n' } }),
    });

    const r = await improve(repo, [], modelEnv(fake.url));

    expect(r.exitCode).toBe(0);
    const system = describeTurn(fake.requests[0]!).system;
    expect(system).toContain('Read the rest in specs/01-big.md with the view command.');
    // The spec is 24 KB; the prompt carries its first 4 KB (plus mmm's own instructions).
    expect(system.split('lorem ipsum').length - 1).toBeLessThan(400);
  });
});
