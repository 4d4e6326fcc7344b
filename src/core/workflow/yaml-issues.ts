import { isMap, isPair, isScalar, type Document, type Node } from 'yaml';
import { z } from 'zod';
import { didYouMean } from '../config/did-you-mean.js';
import { describeNode, type ProblemSink } from '../specs/yaml-context.js';

/**
 * Turns zod's issues about a part of a YAML document into problems at file:line:col,
 * with "did you mean" for misspelt keys. `base` is the YAML path of the part checked.
 */
export function reportIssues(
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType,
  doc: Document,
  base: (string | number)[],
  sink: ProblemSink,
): void {
  for (const issue of issues) reportIssue(issue, schema, doc, base, sink);
}

type PathKey = string | number;

/** Keys written one level too high: `retry:` on a step instead of under `on_failure:`. */
const NESTED_KEYS: Record<string, string> = {
  retry: 'on_failure',
  max_attempts: 'on_failure',
  then: 'on_failure',
};

function nodeAt(doc: Document, path: PathKey[]): Node | undefined {
  if (path.length === 0) return (doc.contents as Node | null) ?? undefined;
  const found = doc.getIn(path, true);
  return isNodeLike(found) ? found : undefined;
}

function isNodeLike(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}

/** `steps[2].on_failure.max_attempts`, for messages. */
export function showPath(path: PathKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${key}` : key;
  return out || 'the file';
}

/** The schema of a part reached by `path` inside `schema`, unwrapping optionals and unions. */
function schemaAt(schema: z.ZodType, path: PathKey[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const key of path) {
    if (!current) return undefined;
    if (current instanceof z.ZodUnion) {
      const options = current.options as z.ZodType[];
      current = options
        .map(unwrap)
        .find((o) =>
          typeof key === 'number'
            ? o instanceof z.ZodArray
            : o instanceof z.ZodObject && key in o.shape,
        );
      if (!current) return undefined;
    }
    if (typeof key === 'number' && current instanceof z.ZodArray)
      current = unwrap(current.element as z.ZodType);
    else if (typeof key === 'string' && current instanceof z.ZodObject)
      current = unwrap((current.shape as Record<string, z.ZodType>)[key]);
    else if (typeof key === 'string' && current instanceof z.ZodRecord)
      current = unwrap(current.valueType as z.ZodType);
    else return undefined;
  }
  return current;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
  return s;
}

function allowedKeys(schema: z.ZodType, path: PathKey[]): string[] {
  const at = schemaAt(schema, path);
  if (at instanceof z.ZodObject) return Object.keys(at.shape);
  if (at instanceof z.ZodUnion) {
    const keys = (at.options as z.ZodType[]).flatMap((o) => {
      const u = unwrap(o);
      return u instanceof z.ZodObject ? Object.keys(u.shape) : [];
    });
    return [...new Set(keys)];
  }
  return [];
}

function reportIssue(
  issue: z.core.$ZodIssue,
  schema: z.ZodType,
  doc: Document,
  base: PathKey[],
  sink: ProblemSink,
): void {
  const rel = issue.path.filter((k): k is PathKey => typeof k !== 'symbol');
  const path = [...base, ...rel];
  const node = nodeAt(doc, path);
  const where = showPath(path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(schema, rel);
      for (const key of issue.keys) {
        const keyNode = keyNodeOf(node, key);
        const guess = didYouMean(key, allowed);
        const parent = NESTED_KEYS[key];
        const hint =
          parent && allowed.includes(parent)
            ? `it belongs under ${parent}:`
            : guess
              ? `did you mean "${guess}"?`
              : `allowed keys: ${allowed.join(', ')}`;
        const owner = path.length ? ` in ${where}` : '';
        sink.error(sink.nodePosition(keyNode ?? node), `unknown key "${key}"${owner} (${hint})`);
      }
      return;
    }
    case 'invalid_union': {
      // Report the branch the value was meant for (the one whose base type it has), if any.
      const branch = issue.errors.find(
        (errs) => !errs.some((e) => e.path.length === 0 && e.code === 'invalid_type'),
      );
      const sub = schemaAt(schema, rel);
      if (branch && branch.length > 0 && !branch.every((e) => e.path.length === 0)) {
        for (const e of branch)
          reportIssue({ ...e, path: [...rel, ...e.path] }, schema, doc, base, sink);
        return;
      }
      const expected = sub?.description ?? 'a value of another type';
      sink.error(
        sink.nodePosition(node),
        `${where}: expected ${expected} (got ${describeNode(node)})`,
      );
      return;
    }
    default: {
      const message = issue.message
        .replace(/^Invalid input: /, '')
        .replace(/^Invalid option: /, '');
      sink.error(sink.nodePosition(node), `${where}: ${message} (got ${describeNode(node)})`);
    }
  }
}

function keyNodeOf(node: Node | undefined, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  for (const pair of node.items) {
    if (isPair(pair) && isScalar(pair.key) && pair.key.value === key) return pair.key;
  }
  return undefined;
}
