import { isScalar, type LineCounter, type Node } from 'yaml';
import type { SpecPosition, SpecProblem } from './model.js';

/** Collects problems for one spec file, mapping YAML offsets to file positions. */
export class ProblemSink {
  readonly problems: SpecProblem[] = [];

  constructor(
    readonly file: string,
    private readonly lineCounter?: LineCounter,
    /** File line of the first YAML line, minus one. */
    private readonly lineOffset = 0,
  ) {}

  /** File position of a YAML offset. */
  positionOf(offset: number): SpecPosition {
    if (!this.lineCounter) return { line: 1, column: 1 };
    const { line, col } = this.lineCounter.linePos(offset);
    return { line: line + this.lineOffset, column: col };
  }

  /** File position of a YAML node (its first character), or of `fallback`. */
  nodePosition(node: Node | null | undefined, fallback?: SpecPosition): SpecPosition {
    const start = node?.range?.[0];
    if (typeof start === 'number') return this.positionOf(start);
    return fallback ?? { line: this.lineOffset + 1, column: 1 };
  }

  error(at: SpecPosition, message: string): void {
    this.problems.push({ file: this.file, ...at, message, severity: 'error' });
  }

  warning(at: SpecPosition, message: string): void {
    this.problems.push({ file: this.file, ...at, message, severity: 'warning' });
  }

  get hasErrors(): boolean {
    return this.problems.some((p) => p.severity === 'error');
  }
}

/** A short description of a YAML value, for "(got …)" in messages. */
export function describeNode(node: unknown): string {
  if (node === null || node === undefined) return 'nothing';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'nothing';
    if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
    return String(v);
  }
  const type = (node as { constructor?: { name?: string } }).constructor?.name;
  if (type === 'YAMLMap') return 'a mapping';
  if (type === 'YAMLSeq') return 'a list';
  return 'an alias';
}

/** The scalar's value when the node is a scalar, else undefined. */
export function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : undefined;
}
