import { describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { orderSpecs } from '../../src/core/specs/graph.js';
import { loadSpecs } from '../../src/core/specs/load.js';
import { formatProblem, type Spec } from '../../src/core/specs/model.js';
import { updateSpecFile } from '../../src/core/specs/write-back.js';
import { tempDir } from '../support/tmp.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** A writable copy of a layout fixture. */
function copyFixture(layout: string): string {
  const root = tempDir('mmm-layout-');
  cpSync(join(FIXTURES, layout), root, { recursive: true });
  return root;
}

function summary(specs: Spec[]): string[] {
  return orderSpecs(specs).map(
    (s) =>
      `${s.id} ${s.status} ${s.criteria.filter((c) => c.done).length}/${s.criteria.length} ${s.title}`,
  );
}

describe('the predecessor’s specs folder as it is', () => {
  it('runs drafts, assumes deleted numbers done, orders 2 < 100 < 174 < 174a, skips the index', async () => {
    const root = copyFixture('prodigy');
    const { specs, problems, layouts } = await loadSpecs(root, 'specs');
    expect(problems.map(formatProblem)).toEqual([
      'specs/174-structured-logging.md:7:19: warning: assumed done: no spec 151 (a dependency on a spec number with no file counts as done; specs.missing_dependency = "error" makes it an error)',
    ]);
    expect(layouts).toEqual([{ path: 'specs', layouts: { file: 4 } }]);
    expect(summary(specs)).toEqual([
      'config-loader draft 0/2 Config loader',
      'release-notes ready 0/1 Release notes from commits',
      'structured-logging draft 1/2 Structured logging',
      'log-sampling draft 0/1 Log sampling',
    ]);
    expect(specs.find((s) => s.id === 'log-sampling')?.dependsOn).toEqual(['structured-logging']);
  });

  it('makes a missing number an error when asked, and names both files of a duplicate number', async () => {
    const root = copyFixture('prodigy');
    const strict = await loadSpecs(root, 'specs', { missingDependency: 'error' });
    expect(strict.problems.filter((p) => p.severity === 'error').map((p) => p.message)).toEqual([
      'depends on spec 151, and no spec has that number: remove the dependency, or set specs.missing_dependency = "done" to count it as done',
    ]);
    writeFileSync(join(root, 'specs/2-other.md'), '---\nnumber: 2\ntitle: Other\n---\n# Other\n');
    const dup = await loadSpecs(root, 'specs');
    const messages = dup.problems.filter((p) => p.severity === 'error').map(formatProblem);
    expect(messages).toEqual([
      'specs/2-other.md:1:1: duplicate spec number 2 (also used by specs/2-config-loader.md): renumber one of them (its "number:" or its file name)',
    ]);
  });
});

describe('spec-kit feature folders', () => {
  it('reads one spec per folder: title, tasks as criteria, numbered scenarios where no tasks', async () => {
    const root = copyFixture('speckit');
    const { specs, problems, layouts } = await loadSpecs(root, 'specs');
    expect(problems).toEqual([]);
    expect(layouts).toEqual([{ path: 'specs', layouts: { folder: 2 } }]);
    expect(summary(specs)).toEqual([
      'csv-export in-progress 1/3 CSV export of reports',
      'rate-limits draft 0/1 Rate limits per API key',
    ]);
    const csv = specs.find((s) => s.id === 'csv-export') as Spec;
    expect(csv.file).toBe('specs/001-csv-export/spec.md');
    expect(csv.sources).toEqual([
      'specs/001-csv-export/spec.md',
      'specs/001-csv-export/plan.md',
      'specs/001-csv-export/tasks.md',
    ]);
    expect(csv.criteria[1]).toMatchObject({
      text: 'T002 [P] [US1] Write toCsv in src/export/csv.ts',
      source: 'specs/001-csv-export/tasks.md',
      line: 15,
    });
    expect(csv.body).toContain('## plan.md (specs/001-csv-export/plan.md)');
    // An attempt may not tick its own boxes: the folder's other files are protected.
    expect(csv.protect).toEqual(['specs/001-csv-export/plan.md', 'specs/001-csv-export/tasks.md']);
    const limits = specs.find((s) => s.id === 'rate-limits') as Spec;
    expect(limits.criteria[0]?.mark).toBe('text');
  });

  it('is one spec when spec_dir points at the feature folder itself', async () => {
    const root = copyFixture('speckit');
    const { specs } = await loadSpecs(root, 'specs/001-csv-export');
    expect(specs.map((s) => s.id)).toEqual(['csv-export']);
  });

  it('ticks exactly the verified boxes in tasks.md and the status line in spec.md, byte for byte', async () => {
    const root = copyFixture('speckit');
    const tasks = join(root, 'specs/001-csv-export/tasks.md');
    const spec = join(root, 'specs/001-csv-export/spec.md');
    const before = { tasks: readFileSync(tasks, 'utf8'), spec: readFileSync(spec, 'utf8') };
    await updateSpecFile(spec, { status: 'done', tickCriteria: [2] }, { root, layout: 'folder' });
    expect(readFileSync(tasks, 'utf8')).toBe(before.tasks.replace('- [ ] T003', '- [x] T003'));
    expect(readFileSync(spec, 'utf8')).toBe(
      before.spec.replace('**Status**: Draft', '**Status**: Done'),
    );
  });
});

describe('telling a flat directory from a feature folder', () => {
  it('keeps a flat spec named spec.md flat, and reads spec-kit’s data-model.md into the body', async () => {
    const root = tempDir('mmm-layout-');
    writeFileSync(join(root, 'README.md'), '# x\n');
    const flat = join(root, 'flat');
    const feature = join(root, 'specs/003-tags');
    for (const dir of [flat, feature])
      cpSync(join(FIXTURES, 'prodigy/specs'), dir, { recursive: true });
    writeFileSync(join(flat, 'spec.md'), '# A spec named spec\n');
    const flatSpecs = await loadSpecs(root, 'flat');
    expect(flatSpecs.specs.map((s) => s.id).sort()).toContain('spec');
    expect(flatSpecs.specs).toHaveLength(5);
    writeFileSync(join(feature, 'spec.md'), '# Feature Specification: Tags\n');
    writeFileSync(join(feature, 'tasks.md'), '- [ ] T001 Add a tags column\n');
    writeFileSync(join(feature, 'data-model.md'), '# Data Model\n\nTag: name, color\n');
    const one = await loadSpecs(root, 'specs/003-tags');
    expect(one.specs.map((s) => `${s.id}: ${s.title}`)).toEqual(['tags: Tags']);
    expect(one.specs[0]?.body).toContain('Tag: name, color');
  });
});

describe('Kiro feature folders', () => {
  it('finds .kiro/specs without configuration and reads nested numbered tasks', async () => {
    const root = copyFixture('kiro');
    const { specs, layouts } = await loadSpecs(root, 'specs');
    expect(layouts).toEqual([{ path: '.kiro/specs', layouts: { folder: 1 } }]);
    expect(summary(specs)).toEqual(['password-reset in-progress 1/4 Password reset']);
    const main = join(root, '.kiro/specs/password-reset/requirements.md');
    await updateSpecFile(main, { tickCriteria: [2, 3] }, { root, layout: 'folder' });
    const again = await loadSpecs(root, 'specs');
    expect(summary(again.specs)).toEqual(['password-reset in-progress 3/4 Password reset']);
    await updateSpecFile(main, { tickCriteria: 'all' }, { root, layout: 'folder' });
    expect(summary((await loadSpecs(root, 'specs')).specs)).toEqual([
      'password-reset done 4/4 Password reset',
    ]);
  });
});

describe('task-master tasks.json', () => {
  it('reads each task as a spec and writes status back without reformatting', async () => {
    const root = copyFixture('taskmaster');
    const { specs, problems } = await loadSpecs(root, 'specs');
    expect(problems).toEqual([]);
    expect(summary(specs)).toEqual([
      'task-1 done 0/0 Set up the HTTP server',
      'task-2 ready 0/2 Add request logging',
    ]);
    const file = join(root, '.taskmaster/tasks/tasks.json');
    const before = readFileSync(file, 'utf8');
    await updateSpecFile(
      file,
      { status: 'done', tickCriteria: [1] },
      { root, layout: 'tasks-json', taskId: '2' },
    );
    const after = readFileSync(file, 'utf8');
    const expected = before
      .replace(
        '"dependencies": [1],\n        "status": "pending"',
        '"dependencies": [1],\n        "status": "done"',
      )
      .replace(
        '"dependencies": [1], "details": "", "status": "pending"',
        '"dependencies": [1], "details": "", "status": "done"',
      );
    expect(after).toBe(expected);
    expect(summary((await loadSpecs(root, 'specs')).specs)).toEqual([
      'task-1 done 0/0 Set up the HTTP server',
      'task-2 done 1/2 Add request logging',
    ]);
  });
});

describe('layout edge cases', () => {
  it('names the line of invalid JSON in a tasks.json, and reads an untagged file', async () => {
    const root = tempDir('mmm-layout-');
    const dir = join(root, '.taskmaster/tasks');
    cpSync(join(FIXTURES, 'taskmaster/.taskmaster'), join(root, '.taskmaster'), {
      recursive: true,
    });
    writeFileSync(
      join(dir, 'tasks.json'),
      '{\n  "tasks": [\n    { "id": 1, "title": "A" },\n  ]\n}\n',
    );
    const bad = await loadSpecs(root, 'specs');
    expect(bad.problems.map(formatProblem)).toEqual([
      ".taskmaster/tasks/tasks.json:4:3: invalid JSON: unexpected character: fix the JSON (task-master's tasks.json)",
    ]);
    writeFileSync(
      join(dir, 'tasks.json'),
      '{"tasks":[{"id":1,"title":"A","status":"pending","dependencies":[]}]}',
    );
    const good = await loadSpecs(root, 'specs');
    expect(summary(good.specs)).toEqual(['task-1 ready 0/0 A']);
    await updateSpecFile(
      join(dir, 'tasks.json'),
      { status: 'done' },
      {
        root,
        layout: 'tasks-json',
        taskId: '1',
      },
    );
    expect(readFileSync(join(dir, 'tasks.json'), 'utf8')).toBe(
      '{"tasks":[{"id":1,"title":"A","status":"done","dependencies":[]}]}',
    );
  });

  it('ticks a CRLF tasks.md keeping its line endings', async () => {
    const root = copyFixture('kiro');
    const tasks = join(root, '.kiro/specs/password-reset/tasks.md');
    const crlf = readFileSync(tasks, 'utf8').replace(/\n/g, '\r\n');
    writeFileSync(tasks, crlf);
    await updateSpecFile(
      join(root, '.kiro/specs/password-reset/requirements.md'),
      { tickCriteria: [1] },
      { root, layout: 'folder' },
    );
    expect(readFileSync(tasks, 'utf8')).toBe(
      crlf.replace('- [ ] 2. Implement', '- [x] 2. Implement'),
    );
  });
});
