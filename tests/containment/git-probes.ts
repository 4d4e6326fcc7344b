/**
 * Shared set-up of the git containment probes (issue 17 items 1, 2, 6, 10): a repository
 * whose command policy is opened up (`tools.allow = ["*"]`: mmm's own walls must hold
 * without it and without a sandbox), uncommitted and untracked work of the user in the
 * checkout, and a model that plays hostile on its first attempt at a spec.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { events, improve, improveRepo, TEST_CONFIG, type SpecInput } from '../improve/helpers.js';
import { writeTree } from '../support/tmp.js';
import { hostileEnv, hostileModel, snapshotCheckout, type HostileCall } from './harness.js';

export const OPEN_POLICY_CONFIG = `${TEST_CONFIG}
[tools]
allow = ["*"]
`;

export interface ProbeSpec extends SpecInput {
  hostile?: HostileCall[];
  /** The file the honest attempt writes (text with "bug" fails the check). */
  honest: { path: string; text: string };
}

export interface Probe {
  repo: string;
  fake: FakeAnthropic;
  env: Record<string, string>;
  before: ReturnType<typeof snapshotCheckout>;
  toolResults: string[];
}

/** A marker path outside any repository, for planted hooks to write to. */
export function markerPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'mmm-marker-')), 'planted-ran');
}

export async function startProbe(
  specs: ProbeSpec[],
  extraEnv: Record<string, string> = {},
): Promise<Probe> {
  const repo = improveRepo(
    specs.map(({ hostile: _h, honest: _o, ...spec }) => spec),
    { '.mmm/config.toml': OPEN_POLICY_CONFIG },
  );
  // The user's uncommitted and untracked work, which must survive whatever happens.
  writeTree(repo, { 'README.md': '# edited, not committed\n', 'notes.txt': 'untracked\n' });
  const before = snapshotCheckout(repo);
  const model = hostileModel({
    hostile: Object.fromEntries(specs.map((s) => [s.id, s.hostile ?? []])),
    honest: Object.fromEntries(specs.map((s) => [s.id, s.honest])),
  });
  const fake = await startFakeAnthropic({ script: model.responder });
  return {
    repo,
    fake,
    // Sandbox off: these probes exercise mmm's own walls, not the sandbox's.
    env: hostileEnv(fake.url, extraEnv, 'off'),
    before,
    toolResults: model.toolResults,
  };
}

export function runProbe(probe: Probe, args: string[] = []) {
  return improve(probe.repo, args, probe.env);
}

export function attemptEnds(stdout: string): Record<string, unknown>[] {
  return events(stdout).filter((e) => e.type === 'attempt_end');
}

export function warnings(stdout: string): string[] {
  return events(stdout)
    .filter((e) => e.type === 'warning')
    .map((e) => String(e.message));
}
