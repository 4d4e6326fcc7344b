import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  listProjects,
  readRegistry,
  recordProjectRun,
  registerProject,
  registryPath,
} from '../../src/core/projects/registry.js';
import { tempDir } from '../support/tmp.js';

describe('project registry', () => {
  const saved = process.env.XDG_DATA_HOME;
  beforeEach(() => {
    process.env.XDG_DATA_HOME = join(tempDir(), 'data');
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.XDG_DATA_HOME;
    else process.env.XDG_DATA_HOME = saved;
  });

  it('lives at $XDG_DATA_HOME/mmm/projects.json; registering twice keeps one entry', async () => {
    const project = tempDir();
    await registerProject(project);
    await registerProject(project);
    expect(registryPath()).toBe(join(process.env.XDG_DATA_HOME ?? '', 'mmm', 'projects.json'));
    const list = await listProjects();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ path: project, missing: false });
    expect(Date.parse(list[0]?.registeredAt ?? '')).not.toBeNaN();
  });

  it('records the last run, registering unknown projects; missing paths are marked', async () => {
    const a = tempDir();
    const gone = join(tempDir(), 'gone');
    mkdirSync(gone);
    await registerProject(gone);
    rmSync(gone, { recursive: true });
    await recordProjectRun(a, { runId: 'r1', status: 'failed', at: '2026-01-01T00:00:00.000Z' });
    await recordProjectRun(a, { runId: 'r2', status: 'done', at: '2026-01-02T00:00:00.000Z' });
    const list = await listProjects();
    expect(list.find((p) => p.path === a)?.lastRun).toEqual({
      runId: 'r2',
      status: 'done',
      at: '2026-01-02T00:00:00.000Z',
    });
    expect(list.find((p) => p.path === gone)?.missing).toBe(true);
    // `missing` is computed, never stored.
    expect(readFileSync(registryPath(), 'utf8')).not.toContain('missing');
  });

  it('concurrent registrations all land (lock + atomic write)', async () => {
    const dirs = Array.from({ length: 6 }, () => tempDir());
    await Promise.all(dirs.map((d) => registerProject(d)));
    expect((await listProjects()).map((p) => p.path).sort()).toEqual([...dirs].sort());
  });

  it('a corrupt file is a warning, not a crash, and is replaced on the next write', async () => {
    mkdirSync(join(registryPath(), '..'), { recursive: true });
    writeFileSync(registryPath(), '{"projects": [');
    const read = await readRegistry();
    expect(read.projects).toEqual([]);
    expect(read.warning).toMatch(/projects\.json is corrupt/);
    expect(await listProjects()).toEqual([]);
    await registerProject(tempDir());
    expect(await listProjects()).toHaveLength(1);
    expect((await readRegistry()).warning).toBeUndefined();
  });
});
