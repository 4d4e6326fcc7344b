import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  applySpecUpdate,
  parseSpec,
  SPEC_STATUSES,
  updateSpecFile,
  type Spec,
  type SpecUpdate,
} from '../../src/core/specs/index.js';
import { splitLines } from '../../src/core/specs/text.js';
import { tempDir } from '../support/tmp.js';

function parsed(text: string): Spec {
  const { spec, problems } = parseSpec('specs/01-x.md', Buffer.from(text, 'utf8'));
  if (!spec) throw new Error(JSON.stringify(problems));
  return spec;
}

describe('applySpecUpdate: examples', () => {
  it('changes only the status value, keeping quotes and comments', () => {
    const text =
      '---\n# owner: ops\ntitle: \'Retry\'\nstatus: "draft"   # set by mmm\npriority: high\n---\n# Retry\n';
    expect(applySpecUpdate(text, { status: 'done' })).toBe(
      '---\n# owner: ops\ntitle: \'Retry\'\nstatus: "done"   # set by mmm\npriority: high\n---\n# Retry\n',
    );
    expect(applySpecUpdate("---\nstatus: 'ready'\n---\n# T\n", { status: 'failed' })).toBe(
      "---\nstatus: 'failed'\n---\n# T\n",
    );
  });

  it('fills an empty status value', () => {
    expect(applySpecUpdate('---\ntitle: T\nstatus:\n---\n', { status: 'done' })).toBe(
      '---\ntitle: T\nstatus: done\n---\n',
    );
    expect(applySpecUpdate('---\ntitle: T\nstatus: # later\n---\n', { status: 'done' })).toBe(
      '---\ntitle: T\nstatus: done # later\n---\n',
    );
  });

  it('adds a status line at the end of the frontmatter, with the file line ending', () => {
    expect(applySpecUpdate('---\r\ntitle: T\r\n---\r\n# T\r\n', { status: 'in-progress' })).toBe(
      '---\r\ntitle: T\r\nstatus: in-progress\r\n---\r\n# T\r\n',
    );
    expect(applySpecUpdate('---\n---\n# T\n', { status: 'done' })).toBe(
      '---\nstatus: done\n---\n# T\n',
    );
  });

  it('creates a minimal frontmatter for a bare file, after a byte-order mark', () => {
    const text = '\uFEFF# Feature: X\r\n\r\n## Acceptance Criteria\r\n- [ ] a\r\n- [ ] b';
    expect(applySpecUpdate(text, { status: 'done', tickCriteria: [1] })).toBe(
      '\uFEFF---\r\nstatus: done\r\n---\r\n# Feature: X\r\n\r\n## Acceptance Criteria\r\n- [ ] a\r\n- [x] b',
    );
  });

  it('ticks criteria by index or all, and only under Acceptance Criteria', () => {
    const text =
      '# T\n\n## Tasks\n- [ ] not a criterion\n\n## Acceptance Criteria\n- [ ] a\n  * [ ] b [ ] c\n- [x] d\n';
    expect(applySpecUpdate(text, { tickCriteria: 'all' })).toBe(
      '# T\n\n## Tasks\n- [ ] not a criterion\n\n## Acceptance Criteria\n- [x] a\n  * [x] b [ ] c\n- [x] d\n',
    );
    expect(applySpecUpdate(text, { tickCriteria: [0] })).toContain('- [x] a\n  * [ ] b');
  });

  it('refuses what it cannot update safely', () => {
    expect(() =>
      applySpecUpdate('# T\n## Acceptance Criteria\n- [ ] a\n', { tickCriteria: [3] }),
    ).toThrow(/no acceptance criterion #3 \(the spec has 1\)/);
    expect(() => applySpecUpdate('---\ntitle: [\n---\n', { status: 'done' })).toThrow(
      /invalid YAML/,
    );
    expect(() => applySpecUpdate('---\ntitle: T\n', { status: 'done' })).toThrow(/never closed/);
    expect(() => applySpecUpdate('---\nstatus: [a]\n---\n', { status: 'done' })).toThrow(
      /not a plain value/,
    );
  });
});

describe('updateSpecFile', () => {
  it('writes atomically and only when something changes', () => {
    const dir = tempDir();
    const file = join(dir, '01-x.md');
    writeFileSync(file, '---\ntitle: X\nstatus: ready\n---\n## Acceptance Criteria\n- [ ] a\n');
    return (async () => {
      await updateSpecFile(file, { status: 'done', tickCriteria: 'all' });
      expect(readFileSync(file, 'utf8')).toBe(
        '---\ntitle: X\nstatus: done\n---\n## Acceptance Criteria\n- [x] a\n',
      );
      const before = statSync(file).mtimeMs;
      await updateSpecFile(file, { status: 'done' });
      expect(statSync(file).mtimeMs).toBe(before);
    })();
  });

  it('leaves a non-UTF-8 file untouched', async () => {
    const dir = tempDir();
    const file = join(dir, '01-x.md');
    const bytes = Buffer.from([0x23, 0x20, 0xff, 0x0a]);
    writeFileSync(file, bytes);
    await expect(updateSpecFile(file, { status: 'done' })).rejects.toThrow(/not valid UTF-8/);
    expect(readFileSync(file)).toEqual(bytes);
  });
});

// ---- Property-based: write-back then parse is consistent; untouched bytes are preserved.

const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,8}$/);
const phrase = fc.array(word, { minLength: 1, maxLength: 5 }).map((w) => w.join(' '));
const quoted = (text: string, style: number) =>
  style === 0 ? `T ${text}` : style === 1 ? `'T ${text}'` : `"T ${text}"`;

const specText = fc
  .record({
    eol: fc.constantFrom('\n', '\r\n'),
    bom: fc.boolean(),
    frontmatter: fc.boolean(),
    title: phrase,
    titleStyle: fc.integer({ min: 0, max: 2 }),
    status: fc.option(
      fc.record({
        value: fc.constantFrom(...SPEC_STATUSES, ''),
        style: fc.integer({ min: 0, max: 2 }),
        comment: fc.option(phrase, { nil: undefined }),
      }),
      { nil: undefined },
    ),
    extras: fc.uniqueArray(
      fc.oneof(
        phrase.map((p) => `# ${p}`),
        fc.constantFrom(
          'priority: high',
          'category: feature',
          'depends_on: []',
          "files: ['src/**']",
        ),
      ),
      { maxLength: 4 },
    ),
    criteria: fc.array(
      fc.record({
        done: fc.boolean(),
        text: phrase,
        bullet: fc.constantFrom('-', '*', '+'),
        indent: fc.constantFrom('', '  '),
      }),
      { maxLength: 6 },
    ),
    paragraphs: fc.array(phrase, { maxLength: 3 }),
    fenced: fc.boolean(),
    finalEol: fc.boolean(),
  })
  .map((p) => {
    const lines: string[] = [];
    if (p.frontmatter) {
      const fm = [`title: ${quoted(p.title, p.titleStyle)}`, ...p.extras];
      if (p.status) {
        const v = p.status.value;
        const value =
          v === '' ? '' : p.status.style === 0 ? v : p.status.style === 1 ? `'${v}'` : `"${v}"`;
        fm.splice(
          p.extras.length > 0 ? 1 : 0,
          0,
          `status:${value ? ` ${value}` : ''}${p.status.comment ? ` # ${p.status.comment}` : ''}`,
        );
      }
      lines.push('---', ...fm, '---');
    }
    lines.push(`# ${p.title}`, '');
    for (const para of p.paragraphs) lines.push(para, '');
    lines.push('## Acceptance Criteria', '');
    for (const c of p.criteria)
      lines.push(`${c.indent}${c.bullet} [${c.done ? 'x' : ' '}] ${c.text}`);
    if (p.fenced) lines.push('', '```', '- [ ] inside a fence', '```');
    lines.push('', '## Notes', '', 'status: not frontmatter');
    const text = lines.join(p.eol) + (p.finalEol ? p.eol : '');
    return (p.bom ? '\uFEFF' : '') + text;
  });

const update = (criteria: number) =>
  fc.record(
    {
      status: fc.constantFrom(...SPEC_STATUSES),
      tickCriteria: fc.oneof(
        fc.constant('all' as const),
        fc.uniqueArray(fc.nat({ max: Math.max(0, criteria - 1) }), { maxLength: criteria }),
      ),
    },
    { requiredKeys: [] },
  ) as fc.Arbitrary<SpecUpdate>;

const withUpdate = specText.chain((text) =>
  fc.tuple(fc.constant(text), update(parsed(text).criteria.length)),
);

describe('applySpecUpdate: properties', () => {
  it('parses to the requested status and ticks, everything else unchanged', () => {
    fc.assert(
      fc.property(withUpdate, ([text, u]) => {
        const before = parsed(text);
        const after = parsed(applySpecUpdate(text, u));
        const ticked = new Set(
          u.tickCriteria === 'all' ? before.criteria.map((_, i) => i) : (u.tickCriteria ?? []),
        );
        expect(after.status).toBe(u.status ?? before.status);
        expect(after.criteria.map((c) => c.text)).toEqual(before.criteria.map((c) => c.text));
        expect(after.criteria.map((c) => c.done)).toEqual(
          before.criteria.map((c, i) => c.done || ticked.has(i)),
        );
        const stable = (spec: Spec) => {
          const { 'Acceptance Criteria': _criteria, ...sections } = spec.sections;
          return [
            spec.id,
            spec.title,
            spec.priority,
            spec.dependsOn,
            spec.files,
            spec.category,
            sections,
          ];
        };
        expect(stable(after)).toEqual(stable(before));
      }),
      { numRuns: 300 },
    );
  });

  it('preserves every untouched line byte for byte (LF and CRLF)', () => {
    fc.assert(
      fc.property(withUpdate, ([text, u]) => {
        const out = applySpecUpdate(text, u);
        const bom = text.startsWith('\uFEFF');
        expect(out.startsWith('\uFEFF')).toBe(bom);
        const inLines = splitLines(text.slice(bom ? 1 : 0));
        let outLines = splitLines(out.slice(bom ? 1 : 0));
        // Remove the lines write-back may insert: a status line, or a minimal frontmatter.
        if (outLines.length === inLines.length + 3) outLines = outLines.slice(3);
        else if (outLines.length === inLines.length + 1) {
          const added = outLines.findIndex((l, i) => l !== inLines[i]);
          expect(outLines[added]).toMatch(/^status: [a-z-]+\r?\n$/);
          outLines = [...outLines.slice(0, added), ...outLines.slice(added + 1)];
        } else expect(outLines.length).toBe(inLines.length);
        outLines.forEach((line, i) => {
          const original = inLines[i] ?? '';
          if (line === original) return;
          // A changed line is a ticked criterion or the status line; its ending is kept.
          expect(line.endsWith('\r\n')).toBe(original.endsWith('\r\n'));
          const tick = original.replace('[ ]', '[x]');
          if (line !== tick) expect(original).toMatch(/^status:/);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(withUpdate, ([text, u]) => {
        const once = applySpecUpdate(text, u);
        expect(applySpecUpdate(once, u)).toBe(once);
      }),
      { numRuns: 200 },
    );
  });
});
