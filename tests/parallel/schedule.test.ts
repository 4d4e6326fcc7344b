import { describe, expect, it } from 'vitest';
import {
  globsMayOverlap,
  specsMayOverlap,
  specsToStart,
  staticPrefix,
} from '../../src/core/run/parallel/schedule.js';
import type { Spec } from '../../src/core/specs/model.js';

function spec(id: string, files: string[] = [], file = `specs/${id}.md`): Spec {
  return { id, files, file } as unknown as Spec;
}

describe('parallel scheduling: files: overlap', () => {
  it('takes the literal directory part of a glob', () => {
    expect(staticPrefix('src/a/**/*.ts')).toBe('src/a/');
    expect(staticPrefix('./src/x.ts')).toBe('src/x.ts');
    expect(staticPrefix('**/*.md')).toBe('');
    expect(staticPrefix('src/{a,b}/x.ts')).toBe('src/');
  });

  it('says two globs may overlap when their literal parts nest, and literal paths when equal or nested', () => {
    expect(globsMayOverlap('src/a/**', 'src/a/x.ts')).toBe(true);
    expect(globsMayOverlap('src/a/**', 'src/b/**')).toBe(false);
    expect(globsMayOverlap('src/a/**', 'src/ab.ts')).toBe(false);
    expect(globsMayOverlap('**/*.md', 'src/x.ts')).toBe(true);
    expect(globsMayOverlap('src/x.ts', 'src/x.ts')).toBe(true);
    expect(globsMayOverlap('src/x.ts', 'src/y.ts')).toBe(false);
    expect(globsMayOverlap('src', 'src/y.ts')).toBe(true);
    expect(globsMayOverlap('src/x.ts', 'src/x.tsx')).toBe(false);
  });

  it('treats specs without files: as independent, and specs sharing one spec file as overlapping', () => {
    expect(specsMayOverlap(spec('a'), spec('b'))).toBe(false);
    expect(specsMayOverlap(spec('a', ['lib/**']), spec('b'))).toBe(false);
    expect(specsMayOverlap(spec('a', [], 'tasks.json'), spec('b', [], 'tasks.json'))).toBe(true);
  });

  it('starts ready specs in order, skipping one that overlaps a running or an earlier picked spec', () => {
    const ready = [
      spec('one', ['lib/**']),
      spec('two', ['lib/b.ts']),
      spec('three', ['docs/**']),
      spec('four'),
    ];
    expect(specsToStart(ready, [], 3).map((s) => s.id)).toEqual(['one', 'three', 'four']);
    expect(specsToStart(ready, [spec('running', ['docs/x.md'])], 2).map((s) => s.id)).toEqual([
      'one',
      'four',
    ]);
    expect(specsToStart(ready, [ready[0] as Spec], 4).map((s) => s.id)).toEqual(['three', 'four']);
    expect(specsToStart(ready, [], 0)).toEqual([]);
  });
});
