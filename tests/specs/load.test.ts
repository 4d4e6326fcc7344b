import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  assertValidSpecs,
  createSpec,
  formatProblem,
  listTemplates,
  loadSpecs,
  nextSpecFileName,
  parseSpec,
  renderTemplate,
} from '../../src/core/specs/index.js';
import { InputError } from '../../src/core/errors.js';
import { tempDir, writeTree } from '../support/tmp.js';

const styles = fileURLToPath(new URL('./fixtures/styles/', import.meta.url));
const templates = fileURLToPath(new URL('../../templates/specs/', import.meta.url));

function projectWithStyles(): string {
  const root = tempDir();
  mkdirSync(join(root, 'specs'));
  for (const f of readdirSync(styles))
    writeFileSync(join(root, 'specs', f), readFileSync(join(styles, f)));
  return root;
}

describe('loadSpecs', () => {
  it('loads every style, skips README.md and resolves numeric dependencies', async () => {
    const root = projectWithStyles();
    const { specs, problems } = await loadSpecs(root, 'specs');
    expect(problems).toEqual([]);
    expect(specs.map((s) => [s.id, s.file, s.dependsOn])).toEqual([
      ['project-setup', 'specs/01-project-setup.md', []],
      ['retry-policy', 'specs/02-retry-policy.md', ['project-setup']],
      ['metrics', 'specs/03-metrics.md', []],
      ['crlf', 'specs/04-crlf.md', ['project-setup', 'metrics']],
    ]);
  });

  it('collects problems of every file and of the graph, sorted', async () => {
    const root = writeTree(tempDir(), {
      'specs/01-a.md': '---\ntitle: A\nstatus: finished\n---\n',
      'specs/02-b.md': '---\ntitle: B\ndepends_on: [a, zzz]\nfrob: 1\n---\n',
      'specs/03-c.md': '',
    });
    const result = await loadSpecs(root, join(root, 'specs'));
    expect(result.problems.map(formatProblem)).toEqual([
      'specs/01-a.md:3:9: status must be one of draft, ready, in-progress, done, failed, blocked (got "finished")',
      // "a" exists but is invalid: only its own error is reported.
      'specs/02-b.md:3:17: depends on unknown spec "zzz"',
      'specs/02-b.md:4:1: warning: unknown key "frob"; it is ignored',
      'specs/03-c.md:1:1: file is empty: give it a title and an objective (mmm spec new "<title>" starts from a template)',
    ]);
    expect(result.specs.map((s) => s.id)).toEqual(['b']);
    expect(() => assertValidSpecs(result)).toThrow(InputError);
    try {
      assertValidSpecs(result);
    } catch (error) {
      expect((error as InputError).exitCode).toBe(2);
      expect((error as InputError).message).toBe('3 problems in spec files (and 1 warning)');
      expect((error as InputError).problems).toHaveLength(4);
    }
  });

  it('lets warnings pass unless strict', () => {
    const result = {
      problems: [
        {
          file: 'specs/a.md',
          line: 2,
          column: 1,
          message: 'unknown key "x"',
          severity: 'warning' as const,
        },
      ],
    };
    expect(() => assertValidSpecs(result)).not.toThrow();
    expect(() => assertValidSpecs(result, { strict: true })).toThrow(/1 problem in spec files/);
  });

  it('throws InputError with a hint for a missing spec directory', async () => {
    const root = tempDir();
    const error = await loadSpecs(root, 'specs').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe('spec directory specs/ does not exist');
    expect((error as InputError).hint).toMatch(/mmm init.*mmm spec new/);
  });

  it('throws InputError when the spec path is a file', async () => {
    const root = writeTree(tempDir(), { specs: 'not a dir' });
    await expect(loadSpecs(root, 'specs')).rejects.toThrow('specs is not a directory');
  });
});

describe('templates and spec new', () => {
  it('ships the eight templates, each rendering to a spec without any problem', async () => {
    const names = await listTemplates(tempDir());
    for (const required of [
      'feature',
      'bugfix',
      'refactor',
      'tests',
      'docs',
      'performance',
      'security',
      'dependency-upgrade',
    ]) {
      expect(names).toContain(required);
    }
    for (const name of names) {
      const text = renderTemplate(readFileSync(join(templates, `${name}.md`), 'utf8'), {
        title: 'Fix: the "odd" # title',
        dependsOn: ['setup', 'retry'],
        date: '2026-01-02',
      });
      const { spec, problems } = parseSpec(`specs/09-${name}.md`, Buffer.from(text));
      expect(problems, name).toEqual([]);
      expect(spec?.title).toBe('Fix: the "odd" # title');
      expect(spec?.dependsOn).toEqual(['setup', 'retry']);
      expect(spec?.criteria.length, name).toBeGreaterThanOrEqual(3);
      expect(Object.keys(spec?.sections ?? {})).toEqual(
        expect.arrayContaining(['Objective', 'Requirements', 'Acceptance Criteria']),
      );
      expect(text).not.toMatch(/\{\{/);
      // The commented example checks are valid once uncommented.
      const uncommented = text.replace(/^# (checks:| {2})/gm, '$1');
      const withChecks = parseSpec(`specs/09-${name}.md`, Buffer.from(uncommented));
      expect(withChecks.problems, `${name} example checks`).toEqual([]);
      expect(withChecks.spec?.checks.length, name).toBeGreaterThanOrEqual(2);
    }
  });

  it('numbers the next file after the highest number, keeping the width', () => {
    expect(nextSpecFileName([], 'Add a retry policy!')).toBe('01-add-a-retry-policy.md');
    expect(nextSpecFileName(['01-a.md', '07-b.md', 'README.md', 'notes.txt'], 'Café déjà vu')).toBe(
      '08-cafe-deja-vu.md',
    );
    expect(nextSpecFileName(['099-a.md'], 'X')).toBe('100-x.md');
    expect(nextSpecFileName(['0001-a.md'], '日本語')).toBe('0002-日本語.md');
    expect(nextSpecFileName(['0001-a.md'], '!!!')).toBe('0002-spec.md');
  });

  it('creates the spec directory and refuses unknown dependencies', async () => {
    const root = tempDir();
    const spec = await createSpec({ root, specDir: 'specs', title: 'First one' });
    expect(spec.file).toBe('specs/01-first-one.md');
    const second = await createSpec({
      root,
      specDir: 'specs',
      title: 'Second',
      template: 'bugfix',
      dependsOn: ['first-one'],
    });
    expect(second).toMatchObject({
      file: 'specs/02-second.md',
      dependsOn: ['first-one'],
      category: 'bugfix',
    });
    await expect(
      createSpec({ root, specDir: 'specs', title: 'Third', dependsOn: ['frist-one'] }),
    ).rejects.toThrow('--depends-on frist-one: no spec has this id (did you mean "first-one"?)');
    await expect(
      createSpec({ root, specDir: 'specs', title: 'T', template: 'nope' }),
    ).rejects.toThrow('unknown spec template "nope"');
    expect(readdirSync(join(root, 'specs'))).toEqual(['01-first-one.md', '02-second.md']);
  });

  it('prefers a project template from .mmm/templates/specs', async () => {
    const root = writeTree(tempDir(), {
      '.mmm/templates/specs/feature.md':
        '---\ntitle: {{title_yaml}}\ncategory: house-style\n---\n# {{title}}\n',
    });
    const spec = await createSpec({ root, specDir: 'specs', title: 'Ours' });
    expect(spec.category).toBe('house-style');
  });
});

describe("mmm's own specs", () => {
  it('validate strictly', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const result = await loadSpecs(root, 'specs');
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.specs.length).toBeGreaterThanOrEqual(4);
  });
});
