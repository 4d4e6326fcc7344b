import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/core/analyze/index.js';
import { packagesLine } from '../../src/ui/analysis-report.js';
import { gitRepo } from '../support/tmp.js';

/** Issue 14, class 6: the smaller things large repositories trip over. */
describe('class 6: monorepo details', () => {
  it('a package analyzed on its own uses the lockfile at the repository top', async () => {
    const root = gitRepo({
      'package.json': JSON.stringify({ private: true }),
      'pnpm-lock.yaml': 'lockfileVersion: 9\n',
      'pnpm-workspace.yaml': 'packages: ["packages/*"]\n',
      'packages/app/package.json': JSON.stringify({ scripts: { test: 'vitest run' } }),
      'packages/app/src/a.ts': 'export const a = 1;\n',
    });
    const a = await analyzeProject(join(root, 'packages/app'), { cache: false });
    expect(a.commands.test).toBe('pnpm test');
    expect(a.commandSources.test?.sure).toBe(true);
    expect(a.packageManagers).toEqual(['pnpm']);
  });

  it('a package.json with a UTF-8 byte order mark is read, not called invalid', async () => {
    const a = await analyzeProject(
      gitRepo({
        'package.json': `\uFEFF${JSON.stringify({ scripts: { test: 'jest' } })}`,
        'package-lock.json': '{}',
      }),
      { cache: false },
    );
    expect(a.commands.test).toBe('npm test');
    expect(a.warnings.join('\n')).not.toMatch(/invalid JSON/);
  });

  it('manifests in fixture and example folders add no package managers or frameworks', async () => {
    const a = await analyzeProject(
      gitRepo({
        'go.mod': 'module example.com/x\n\ngo 1.22\n',
        'x.go': 'package x\n',
        'testdata/mod/go.mod': 'module bad\n\nrequire github.com/gin-gonic/gin v1.9.0\n',
        'internal/fixtures/web/package.json': JSON.stringify({ dependencies: { react: '18' } }),
        'examples/site/package.json': JSON.stringify({ dependencies: { next: '14' } }),
      }),
      { cache: false },
    );
    expect(a.packageManagers).toEqual(['go']);
    expect(a.frameworks).toEqual([]);
  });

  it('fuzz crates with their own [workspace] and excluded crates are not members', async () => {
    const a = await analyzeProject(
      gitRepo({
        'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\nexclude = ["crates/old"]\n',
        'crates/core/Cargo.toml': '[package]\nname = "core"\n',
        'crates/cli/Cargo.toml': '[package]\nname = "cli"\n',
        'crates/old/Cargo.toml': '[package]\nname = "old"\n',
        'fuzz/Cargo.toml': '[package]\nname = "fuzz"\n[workspace]\nmembers = ["."]\n',
      }),
      { cache: false },
    );
    expect(a.workspaces).toEqual([{ tool: 'cargo', packages: ['crates/cli', 'crates/core'] }]);
  });

  it('the 200-manifest cap is announced, not silent', async () => {
    const tree: Record<string, string> = { 'package.json': '{}', 'package-lock.json': '{}' };
    for (let i = 0; i < 201; i++) tree[`p/${i}/package.json`] = '{}';
    const a = await analyzeProject(gitRepo(tree), { cache: false });
    expect(a.warnings).toContainEqual(expect.stringMatching(/202 package\.json files found/));
  });

  it('the human report summarises a long workspace list', () => {
    const many = Array.from({ length: 500 }, (_, i) => `packages/package-number-${i}`);
    const line = packagesLine(many);
    expect(line.length).toBeLessThan(140);
    expect(line).toMatch(/^500 packages: packages\/package-number-0, .*\(\+49\d more\)$/);
    expect(packagesLine(['a', 'b'])).toBe('2 packages: a, b');
  });
});
