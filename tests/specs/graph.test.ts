import { describe, expect, it } from 'vitest';
import {
  buildGraph,
  dependentsOf,
  formatProblem,
  orderSpecs,
  parseSpec,
  readySpecs,
  type Spec,
} from '../../src/core/specs/index.js';

/** A real spec parsed from frontmatter, so positions come from the parser. */
function spec(file: string, frontmatter: string): Spec {
  const { spec: parsed, problems } = parseSpec(
    `specs/${file}`,
    Buffer.from(`---\ntitle: ${file}\n${frontmatter}\n---\n`),
  );
  if (!parsed) throw new Error(problems.map(formatProblem).join('\n'));
  return parsed;
}

const ids = (specs: Spec[]) => specs.map((s) => s.id);

describe('buildGraph', () => {
  it('accepts a valid graph', () => {
    const specs = [spec('01-a.md', ''), spec('02-b.md', 'depends_on: [a]')];
    expect(buildGraph(specs).problems).toEqual([]);
  });

  it('reports unknown dependencies at the entry, with a did-you-mean', () => {
    const specs = [
      spec('01-setup.md', ''),
      spec('02-b.md', 'depends_on:\n  - setpu\n  - nothing-like-it'),
    ];
    expect(buildGraph(specs).problems.map(formatProblem)).toEqual([
      'specs/02-b.md:4:5: depends on unknown spec "setpu" (did you mean "setup"?)',
      'specs/02-b.md:5:5: depends on unknown spec "nothing-like-it"',
    ]);
  });

  it('reports duplicate ids at the second file', () => {
    const specs = [spec('01-a.md', ''), spec('02-b.md', 'id: a')];
    expect(buildGraph(specs).problems.map(formatProblem)).toEqual([
      'specs/02-b.md:3:5: duplicate spec id "a" (also used by specs/01-a.md): set a different "id:" in one of them',
    ]);
  });

  it('prints a cycle as its path', () => {
    const specs = [
      spec('01-a.md', 'depends_on: [c]'),
      spec('02-b.md', 'depends_on: [a]'),
      spec('03-c.md', 'depends_on: [b]'),
      spec('04-d.md', 'depends_on: [a]'),
    ];
    expect(buildGraph(specs).problems.map(formatProblem)).toEqual([
      'specs/01-a.md:3:14: dependency cycle: a -> c -> b -> a; remove one of these dependencies',
    ]);
  });

  it('reports a spec that depends on itself', () => {
    expect(buildGraph([spec('01-a.md', 'depends_on: [a]')]).problems[0]?.message).toBe(
      'dependency cycle: a -> a; remove one of these dependencies',
    );
  });

  it('resolves prodigy-style numeric dependencies to spec numbers', () => {
    const specs = [
      spec('01-a.md', ''),
      spec('07-b.md', 'dependencies: [1]'),
      spec('08-c.md', 'dependencies: [9]'),
    ];
    // The predecessor deletes a spec once done: a number with no file counts as done.
    expect(buildGraph(specs).problems.map((p) => `${p.severity}: ${p.message}`)).toEqual([
      'warning: assumed done: no spec 9 (a dependency on a spec number with no file counts as done; specs.missing_dependency = "error" makes it an error)',
    ]);
    expect(
      buildGraph(specs, { missingDependency: 'error' }).problems.map((p) => p.severity),
    ).toEqual(['error']);
    expect(dependentsOf(specs, 'a')).toEqual(['b']);
  });
});

describe('orderSpecs', () => {
  it('orders topologically, then by priority, then by file name', () => {
    const specs = [
      spec('01-low.md', 'priority: low'),
      spec('02-needs-crit.md', 'priority: critical\ndepends_on: [low]'),
      spec('03-high.md', 'priority: high'),
      spec('04-medium-b.md', ''),
      spec('00-medium-a.md', ''),
    ];
    expect(ids(orderSpecs(specs))).toEqual(['high', 'medium-a', 'medium-b', 'low', 'needs-crit']);
  });

  it('places every spec after its dependencies on a diamond', () => {
    const specs = [
      spec('04-d.md', 'depends_on: [b, c]\npriority: critical'),
      spec('03-c.md', 'depends_on: [a]'),
      spec('02-b.md', 'depends_on: [a]\npriority: low'),
      spec('01-a.md', ''),
    ];
    expect(ids(orderSpecs(specs))).toEqual(['a', 'c', 'b', 'd']);
  });

  it('keeps specs caught in a cycle, last', () => {
    const specs = [
      spec('01-a.md', 'depends_on: [b]'),
      spec('02-b.md', 'depends_on: [a]'),
      spec('03-c.md', ''),
    ];
    expect(ids(orderSpecs(specs))).toEqual(['c', 'a', 'b']);
  });
});

describe('readySpecs', () => {
  const specs = [
    spec('01-a.md', 'status: done'),
    spec('02-b.md', 'depends_on: [a]'),
    spec('03-c.md', 'depends_on: [b]'),
    spec('04-d.md', 'status: draft'),
    spec('05-e.md', 'status: in-progress\npriority: high'),
    spec('06-f.md', 'status: failed'),
    spec('07-g.md', 'status: blocked'),
  ];

  it('returns workable specs whose dependencies are done, in work order', () => {
    // draft is runnable: the predecessor wrote every spec as a draft.
    expect(ids(readySpecs(specs, new Set()))).toEqual(['e', 'b', 'd']);
  });

  it('counts the done set as done', () => {
    expect(ids(readySpecs(specs, new Set(['b', 'e'])))).toEqual(['c', 'd']);
  });
});

describe('dependentsOf', () => {
  it('is transitive and excludes the spec itself', () => {
    const specs = [
      spec('01-a.md', ''),
      spec('02-b.md', 'depends_on: [a]'),
      spec('03-c.md', 'depends_on: [b]'),
      spec('04-d.md', ''),
      spec('05-e.md', 'depends_on: [c, a]'),
    ];
    expect(dependentsOf(specs, 'a')).toEqual(['b', 'c', 'e']);
    expect(dependentsOf(specs, 'c')).toEqual(['e']);
    expect(dependentsOf(specs, 'd')).toEqual([]);
  });
});
