import { describe, expect, it } from 'vitest';
import { summarizeAnalysis, SUMMARY_LIMIT } from '../../src/core/analyze/summary.js';
import { ANALYSIS_VERSION, type Analysis } from '../../src/core/analyze/types.js';

function analysis(overrides: Partial<Analysis> = {}): Analysis {
  return {
    version: ANALYSIS_VERSION,
    root: '/r',
    analyzedAt: '2026-01-01T00:00:00.000Z',
    cached: false,
    files: 10,
    languages: [{ name: 'Go', files: 10, lines: 100, share: 1 }],
    primaryLanguage: 'Go',
    packageManagers: ['go'],
    frameworks: ['gin'],
    commands: {
      build: 'go build ./...',
      test: 'go test ./...',
      lint: null,
      typecheck: null,
      format: null,
    },
    commandSources: { build: null, test: null, lint: null, typecheck: null, format: null },
    ci: ['github-actions'],
    tests: { files: 3, ratio: 0.43 },
    todos: 2,
    largestFiles: [{ path: 'main.go', lines: 50, bytes: 900 }],
    git: {
      branch: 'main',
      head: 'abc',
      dirtyFiles: 1,
      commits: 5,
      hotspots: [{ path: 'main.go', changes: 4 }],
    },
    workspaces: [],
    warnings: [],
    ...overrides,
  };
}

describe('summarizeAnalysis', () => {
  it('names the language, the exact commands and what is missing', () => {
    const s = summarizeAnalysis(analysis());
    expect(s).toContain('primary language Go (Go 100%)');
    expect(s).toContain('test: go test ./...');
    expect(s).toContain('lint: (none detected)');
    expect(s).toContain('CI: github-actions');
    expect(s).toContain('Most changed: main.go');
  });

  it('stays under the limit however large the analysis is', () => {
    const long = 'x'.repeat(400);
    const s = summarizeAnalysis(
      analysis({
        frameworks: Array.from({ length: 50 }, (_, i) => `framework-${i}-${long}`),
        commands: { build: long, test: long, lint: long, typecheck: long, format: long },
        workspaces: [
          {
            tool: 'pnpm',
            packages: Array.from({ length: 500 }, (_, i) => `packages/${i}-${long}`),
          },
        ],
        largestFiles: [{ path: long, lines: 1, bytes: 1 }],
      }),
    );
    expect(s.length).toBeLessThanOrEqual(SUMMARY_LIMIT);
    expect(s).toContain('Project: 10 files');
  });
});
