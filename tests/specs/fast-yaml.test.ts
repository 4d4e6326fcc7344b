import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { parseSimpleYaml } from '../../src/core/specs/fast-yaml.js';
import { splitFrontmatter } from '../../src/core/specs/frontmatter.js';
import { renderTemplate } from '../../src/core/specs/new-spec.js';

/** Node kinds, scalar types, values and start offsets, for comparing two parses. */
function shape(node: unknown): unknown {
  if (node === null || node === undefined) return null;
  if (isScalar(node)) return { s: node.type, v: node.value, at: node.range?.[0] };
  if (isMap(node)) {
    return { map: node.items.map((p) => [shape(p.key), shape(p.value)]), at: node.range?.[0] };
  }
  if (isSeq(node)) return { seq: node.items.map(shape), at: node.range?.[0] };
  return 'other';
}

/** Fast reader result (or 'fallback') and whether it agrees with the full parser. */
function compare(yaml: string): 'fast' | 'fallback' {
  const fastCounter = new LineCounter();
  const fast = parseSimpleYaml(yaml, fastCounter);
  if (fast === undefined) return 'fallback';
  const fullCounter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter: fullCounter, uniqueKeys: true });
  expect(doc.errors, yaml).toEqual([]);
  expect(shape(fast), yaml).toEqual(shape(doc.contents as Node | null));
  expect(fastCounter.lineStarts, yaml).toEqual(fullCounter.lineStarts);
  return 'fast';
}

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

function frontmatters(dir: string, transform = (t: string) => t): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => splitFrontmatter(transform(readFileSync(`${dir}/${f}`, 'utf8'))).yaml)
    .filter((y): y is string => y !== undefined);
}

describe('parseSimpleYaml', () => {
  it('agrees with the yaml package on the spec fixtures, templates and our own specs', () => {
    const render = (t: string) => renderTemplate(t, { title: 'A: b', dependsOn: ['x', '01-y'] });
    const corpus = [
      ...frontmatters(here('./fixtures/styles')),
      ...frontmatters(here('./fixtures/malformed')),
      ...frontmatters(here('../../templates/specs'), render),
      ...frontmatters(here('../../specs')),
    ];
    const results = corpus.map(compare);
    // The common shapes take the fast path.
    expect(results.filter((r) => r === 'fast').length).toBeGreaterThan(corpus.length / 2);
  });

  it('handles the edge cases it accepts exactly like the yaml package', () => {
    const cases = [
      'a: 1\nb: 1.5\nc: true\nd: null\ne: ~\nf: text with spaces # comment\n',
      'a: "x \\"q\\" \\u00e9"\nb: \'it\'\'s\'\nc: 0123\nd: +7\n',
      'list:\n- a\n- b\nnext: 1\n',
      'list:\n  - a\n  -   "b"\n  - [c, d]\n',
      'checks:\n  - run: npm test\n    timeout: 5\n  - file_contains:\n      path: a\n      pattern: "x"\n  - expr: a && b\n',
      'empty:\nafter: 1\n',
      'flow: { usd: 1.5, tokens: 5 }\nlist: [ ]\nl2: ["a", \'b\', c d]\n',
      '# only a comment\n',
      '',
      'a: 1\r\nb:\r\n  - x\r\n',
      'title: Spec 0001: x\n',
      'a: b: c\n',
      'a: 1.2.3\nb: 1e5\nc: 0x1F\nd: .inf\ne: -1\n',
      'a: |\n  block\n',
      'a: x\n  continued\n',
      'a: &anchor 1\nb: *anchor\n',
      'a: 1\na: 2\n',
      '"quoted key": 1\n',
      'a:\tb\n',
      'a: [1, [2]]\n',
      'a: "unterminated\n',
      'a: { b }\n',
      '  indented: 1\n',
      'a:\n  b: 1\n c: 2\n',
      'key:value\n',
      'a: [x,]\n',
      'a: 9007199254740993\n',
      'a: "\\x41"\n',
    ];
    const fast = cases.map(compare);
    expect(fast.slice(0, 10)).toEqual(Array(10).fill('fast'));
    expect(fast.slice(10)).toEqual(Array(cases.length - 10).fill('fallback'));
  });

  it('agrees with the yaml package on generated frontmatter', () => {
    const plain = fc.stringMatching(/^[A-Za-z0-9_.\-/ ():#*&!@'"]{0,12}$/);
    const value = fc.oneof(
      plain,
      plain.map((s) => JSON.stringify(s)),
      plain.map((s) => `'${s.replace(/'/g, "''")}'`),
      fc.integer().map(String),
      fc.constantFrom('true', 'False', 'null', '~', '', '1.5', '-3', '[a, b]', '[]', '{ usd: 1 }'),
    );
    const key = fc.constantFrom('title', 'status', 'depends_on', 'files', 'checks', 'x-y', 'a1');
    const entry = fc.oneof(
      fc.tuple(key, value).map(([k, v]) => `${k}:${v === '' ? '' : ` ${v}`}`),
      fc
        .tuple(key, fc.array(value, { minLength: 1, maxLength: 3 }), fc.constantFrom('', '  '))
        .map(([k, vs, indent]) => `${k}:\n${vs.map((v) => `${indent}- ${v}`).join('\n')}`),
      fc.tuple(key, key, value).map(([k, k2, v]) => `${k}:\n  - ${k2}: ${v}\n    other: 1`),
      plain.map((c) => `# ${c}`),
    );
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 6 }),
        fc.constantFrom('\n', '\r\n'),
        (entries, eol) => {
          const yaml = entries.join('\n').replace(/\n/g, eol) + eol;
          const counter = new LineCounter();
          if (parseSimpleYaml(yaml, counter) === undefined) return;
          const doc = parseDocument(yaml, { uniqueKeys: true });
          if (doc.errors.length > 0) throw new Error(`fast reader accepted invalid YAML:\n${yaml}`);
          compare(yaml);
        },
      ),
      { numRuns: Number(process.env.FAST_YAML_RUNS ?? 500) },
    );
  });
});
