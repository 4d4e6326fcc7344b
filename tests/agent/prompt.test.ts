import { describe, expect, it } from 'vitest';
import { buildSystemPrompt, readAgentNotes } from '../../src/core/agent/prompt.js';
import { tempDir, writeTree } from '../support/tmp.js';

const spec = {
  id: '007',
  title: 'Add a --json flag',
  body: 'The `list` command prints JSON with --json.',
  file: 'specs/007-json.md',
};

describe('buildSystemPrompt', () => {
  it('puts the stable part first and the task, checks and earlier attempts after it', () => {
    const prompt = buildSystemPrompt({
      analysisSummary: 'TypeScript, npm, vitest',
      agentNotes: '## CLAUDE.md\nUse pnpm.',
      spec,
      checks: ['npm test', 'output of `list --json` parses as JSON'],
      previousAttempts: [
        {
          attempt: 1,
          summary: 'Added the flag',
          feedback: 'npm test failed: list.test.ts:12 expected [] got undefined',
        },
      ],
      extraRules: ['Never edit generated files under gen/'],
    });
    const order = [
      'You are mmm',
      'Do not commit',
      'Never edit generated files',
      'TypeScript, npm, vitest',
      'Use pnpm.',
      '# Add a --json flag',
      '- npm test',
      'Why it was rejected: npm test failed',
    ];
    const positions = order.map((s) => prompt.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(prompt).toContain('<task id="007" file="specs/007-json.md">');
  });

  it('does not repeat the title when the spec body starts with its own heading', () => {
    const body = '# Add a --json flag\n\n## Objective\n\nPrint JSON.';
    const prompt = buildSystemPrompt({ spec: { ...spec, body }, checks: [], previousAttempts: [] });
    expect(prompt).toContain(`<task id="007" file="specs/007-json.md">\n${body}\n</task>`);
    expect(prompt.split('# Add a --json flag').length).toBe(2);
  });

  it('leaves out empty sections', () => {
    const prompt = buildSystemPrompt({ spec, checks: [], previousAttempts: [] });
    expect(prompt).not.toContain('<project>');
    expect(prompt).not.toContain('Earlier attempts');
    expect(prompt).not.toContain('agent_notes');
  });
});

describe('readAgentNotes', () => {
  it('reads CLAUDE.md and AGENTS.md, bounded', async () => {
    const root = writeTree(tempDir(), {
      'CLAUDE.md': 'Run `make check`.\n',
      'AGENTS.md': 'x'.repeat(100),
    });
    const notes = await readAgentNotes(root, 50);
    expect(notes).toContain('## CLAUDE.md\nRun `make check`.');
    expect(notes).toContain('## AGENTS.md');
    expect(notes).toContain('AGENTS.md truncated at 33 characters');
  });

  it('is undefined without notes', async () => {
    expect(await readAgentNotes(tempDir())).toBeUndefined();
  });
});
