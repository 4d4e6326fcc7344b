import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/core/analyze/index.js';
import { summarizeAnalysis } from '../../src/core/analyze/summary.js';
import { gitRepo } from '../support/tmp.js';

describe('monorepos', () => {
  it('pnpm workspace: root scripts preferred, packages listed, frameworks from every package', async () => {
    const root = gitRepo({
      'package.json': JSON.stringify({
        private: true,
        scripts: { build: 'turbo build', test: 'turbo test' },
      }),
      'pnpm-lock.yaml': 'lockfileVersion: 9\n',
      'pnpm-workspace.yaml': 'packages:\n  - "apps/*"\n  - "packages/*"\n  - "!packages/ignored"\n',
      'apps/web/package.json': JSON.stringify({
        dependencies: { next: '15', react: '19' },
        scripts: { lint: 'next lint' },
      }),
      'apps/api/package.json': JSON.stringify({
        dependencies: { fastify: '5' },
        scripts: { lint: 'eslint .', typecheck: 'tsc' },
      }),
      'packages/ui/package.json': JSON.stringify({ dependencies: { vue: '3' } }),
      'packages/ignored/package.json': '{}',
      'apps/web/app/page.tsx': 'export default function Page() { return null; }\n',
    });
    const a = await analyzeProject(root, { cache: false });
    expect(a.commands.build).toBe('pnpm build');
    expect(a.commands.test).toBe('pnpm test');
    // No root lint/typecheck script: run the packages' scripts recursively.
    expect(a.commands.lint).toBe('pnpm -r run lint');
    expect(a.commands.typecheck).toBe('pnpm -r run typecheck');
    expect(a.workspaces).toEqual([
      { tool: 'pnpm', packages: ['apps/api', 'apps/web', 'packages/ui'] },
    ]);
    expect(a.frameworks).toEqual(['fastify', 'next', 'react', 'vue']);
    const summary = summarizeAnalysis(a);
    expect(summary).toContain('Monorepo (pnpm workspaces): apps/api, apps/web, packages/ui');
    expect(summary).toContain('test: pnpm test');
  });

  it('npm workspaces from package.json', async () => {
    const root = gitRepo({
      'package.json': JSON.stringify({ workspaces: ['packages/*'] }),
      'package-lock.json': '{}',
      'packages/a/package.json': JSON.stringify({ scripts: { test: 'node --test' } }),
      'packages/b/package.json': JSON.stringify({ scripts: { build: 'tsc' } }),
    });
    const a = await analyzeProject(root, { cache: false });
    expect(a.workspaces).toEqual([{ tool: 'npm', packages: ['packages/a', 'packages/b'] }]);
    expect(a.commands.test).toBe('npm run test --workspaces --if-present');
    expect(a.commands.build).toBe('npm run build --workspaces --if-present');
  });

  it('polyglot: each command from the ecosystem that defines it, summary stays short', async () => {
    const tree: Record<string, string> = {
      'package.json': JSON.stringify({ scripts: { format: 'prettier --write .' } }),
      'package-lock.json': '{}',
      'Cargo.toml': '[package]\nname = "core"\n',
      'src/lib.rs': 'pub fn f() {}\n'.repeat(50),
      '.github/workflows/ci.yml': 'on: push\n',
      '.gitlab-ci.yml': 'test: {}\n',
    };
    for (let i = 0; i < 40; i++)
      tree[`very/long/directory/name/for/package-${i}/package.json`] = '{}';
    const a = await analyzeProject(gitRepo(tree), { cache: false });
    expect(a.commands.format).toBe('cargo fmt && npm run format');
    expect(a.commands.test).toBe('cargo test');
    expect(a.primaryLanguage).toBe('Rust');
    expect(a.ci).toEqual(['github-actions', 'gitlab-ci']);
    expect(summarizeAnalysis(a).length).toBeLessThan(1500);
  });
});

describe('side-by-side sub-projects without a root manifest', () => {
  it('runs each sub-project command from the root', async () => {
    const root = gitRepo({
      'web/package.json': JSON.stringify({
        scripts: { test: 'vitest run', build: 'vite build' },
        dependencies: { svelte: '5' },
      }),
      'web/package-lock.json': '{}',
      'server/go.mod': 'module server\n',
      'server/main.go': 'package main\n',
      'README.md': '# app\n',
    });
    const a = await analyzeProject(root, { cache: false });
    expect(a.commands.test).toBe('(cd server && go test ./...) && (cd web && npm test)');
    expect(a.commands.build).toBe('(cd server && go build ./...) && (cd web && npm run build)');
    expect(a.commands.format).toBe('cd server && go fmt ./...');
    expect(a.commandSources.test?.source).toBe('server/: go.mod; web/: package.json scripts.test');
    expect(a.packageManagers).toEqual(['npm', 'go']);
    expect(a.frameworks).toEqual(['svelte']);
  });
});

it('a root project does not borrow commands from a docs/ site beside it', async () => {
  const root = gitRepo({
    'pyproject.toml': '[project]\nname = "lib"\n[tool.pytest.ini_options]\n',
    'docs/package.json': JSON.stringify({ scripts: { lint: 'eslint .', build: 'astro build' } }),
  });
  const a = await analyzeProject(root, { cache: false });
  expect(a.commands.test).toBe('pytest');
  expect(a.commands.lint).toBeNull();
  expect(a.commands.build).toBeNull();
});
