import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { didYouMean } from '../config/did-you-mean.js';
import { parseChecks } from './checks.js';
import {
  PRIORITIES,
  SPEC_STATUSES,
  type Priority,
  type SpecCheck,
  type SpecPosition,
  type SpecStatus,
} from './model.js';
import { KNOWN_FOREIGN_KEYS, STATUS_ALIASES } from './foreign-keys.js';
import { describeNode, scalarValue, type ProblemSink } from './yaml-context.js';

export { STATUS_ALIASES };

/** Every frontmatter key mmm reads (`number` and `dependencies` are the prodigy style). */
export const SPEC_KEYS = [
  'id',
  'number',
  'title',
  'status',
  'priority',
  'depends_on',
  'dependencies',
  'category',
  'files',
  'max_attempts',
  'budget',
  'checks',
  'protect',
  'allow_edit',
] as const;

/** A spec id: what `depends_on` refers to. Letters of any script, digits, `.`, `_`, `-`. */
export const SPEC_ID = /^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u;

/** A spec number as written: `174`, `0174`, `174a`, `102A`. */
export const SPEC_NUMBER = /^0*(\d+)([A-Za-z]?)$/;

/** The key a number dependency is matched by: `0174A` → "174a". */
export function numberKey(text: string): string | undefined {
  const m = SPEC_NUMBER.exec(text.trim());
  return m ? `${Number(m[1])}${(m[2] ?? '').toLowerCase()}` : undefined;
}

export interface FrontmatterFields {
  id?: string;
  idPosition?: SpecPosition;
  number?: number;
  numberSuffix?: string;
  title?: string;
  status?: SpecStatus;
  priority?: Priority;
  dependsOn?: string[];
  dependsOnPositions?: SpecPosition[];
  category?: string;
  files?: string[];
  maxAttempts?: number;
  budget?: { usd?: number; tokens?: number };
  checks: SpecCheck[];
  /** Globs the attempt may not change (integrity guard). */
  protect?: string[];
  /** Globs of protected paths this spec is about, opened for its attempts. */
  allowEdit?: string[];
}

/** Read and validate the frontmatter mapping; every problem goes to `sink`. */
export function readFields(map: Node, sink: ProblemSink): FrontmatterFields {
  const fields: FrontmatterFields = { checks: [] };
  if (!isMap(map)) {
    sink.error(
      sink.nodePosition(map),
      `frontmatter must be a mapping of keys to values such as "title: ..." (got ${describeNode(map)})`,
    );
    return fields;
  }
  let depsKey: string | undefined;
  for (const pair of map.items as Pair[]) {
    const keyNode = pair.key as Node | null;
    const key = scalarValue(keyNode);
    const keyAt = sink.nodePosition(keyNode);
    if (typeof key !== 'string') {
      sink.error(keyAt, `frontmatter keys must be plain names (got ${describeNode(keyNode)})`);
      continue;
    }
    const value = pair.value as Node | null;
    const at = isScalar(value) && value.value === null ? keyAt : sink.nodePosition(value, keyAt);
    const v = scalarValue(value);
    const isNull = value === null || (isScalar(value) && value.value === null);
    switch (key) {
      case 'id':
        if (typeof v === 'string' && SPEC_ID.test(v)) {
          fields.id = v;
          fields.idPosition = at;
        } else {
          sink.error(
            at,
            `id must be a spec id: letters, digits, "-", "_" or "." (got ${describeNode(value)})`,
          );
        }
        break;
      case 'number':
        if (typeof v === 'number' && Number.isInteger(v) && v >= 0) fields.number = v;
        else if (typeof v === 'string' && SPEC_NUMBER.test(v.trim())) {
          const m = SPEC_NUMBER.exec(v.trim());
          fields.number = Number(m?.[1]);
          if (m?.[2]) fields.numberSuffix = m[2].toLowerCase();
        } else
          sink.error(
            at,
            `number must be a whole number such as 3, or a number and a letter such as 174a (got ${describeNode(value)})`,
          );
        break;
      case 'title':
        if ((typeof v === 'string' || typeof v === 'number') && String(v).trim() !== '') {
          fields.title = String(v).trim();
        } else sink.error(at, `title must be a non-empty text (got ${describeNode(value)})`);
        break;
      case 'status':
        // An empty `status:` or `priority:` means the default.
        if (isNull) break;
        fields.status = readEnum(v, value, at, 'status', SPEC_STATUSES, sink, STATUS_ALIASES);
        break;
      case 'priority':
        if (isNull) break;
        fields.priority = readEnum(v, value, at, 'priority', PRIORITIES, sink);
        break;
      case 'depends_on':
      case 'dependencies':
        if (depsKey) {
          sink.error(
            keyAt,
            `use either depends_on or dependencies, not both (${depsKey} is set above)`,
          );
          break;
        }
        depsKey = key;
        readDependencies(value, isNull, at, key, fields, sink);
        break;
      case 'category':
        if (typeof v === 'string' && v.trim() !== '') fields.category = v.trim();
        else if (!isNull)
          sink.error(at, `category must be a text such as "feature" (got ${describeNode(value)})`);
        break;
      case 'files':
        fields.files = readStringList(
          value,
          isNull,
          at,
          'files must be a list of glob patterns such as "src/**/*.ts"',
          sink,
        );
        break;
      case 'max_attempts':
        if (typeof v === 'number' && Number.isInteger(v) && v > 0) fields.maxAttempts = v;
        else
          sink.error(
            at,
            `max_attempts must be a positive whole number (got ${describeNode(value)})`,
          );
        break;
      case 'budget':
        readBudget(value, isNull, at, fields, sink);
        break;
      case 'checks':
        fields.checks = parseChecks(value, sink);
        break;
      case 'protect':
        fields.protect = readStringList(
          value,
          isNull,
          at,
          'protect must be a list of glob patterns such as "scripts/**"',
          sink,
        );
        break;
      case 'allow_edit':
        fields.allowEdit = readStringList(
          value,
          isNull,
          at,
          'allow_edit must be a list of glob patterns such as ".github/workflows/ci.yml"',
          sink,
        );
        break;
      default: {
        if (KNOWN_FOREIGN_KEYS.has(key.toLowerCase())) break;
        const guess = didYouMean(key, SPEC_KEYS);
        sink.warning(
          keyAt,
          `unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}; it is ignored`,
        );
      }
    }
  }
  return fields;
}

function readEnum<T extends string>(
  v: unknown,
  node: Node | null,
  at: SpecPosition,
  name: string,
  allowed: readonly T[],
  sink: ProblemSink,
  aliases: Record<string, T> = {},
): T | undefined {
  const text = typeof v === 'string' ? v.trim().toLowerCase() : undefined;
  if (text !== undefined && (allowed as readonly string[]).includes(text)) return text as T;
  if (text !== undefined && aliases[text]) return aliases[text];
  const guess = typeof v === 'string' ? didYouMean(v, allowed) : undefined;
  sink.error(
    at,
    `${name} must be one of ${allowed.join(', ')} (got ${describeNode(node)})${guess ? `; did you mean "${guess}"?` : ''}`,
  );
  return undefined;
}

function readDependencies(
  value: Node | null,
  isNull: boolean,
  at: SpecPosition,
  key: string,
  fields: FrontmatterFields,
  sink: ProblemSink,
): void {
  fields.dependsOn = [];
  fields.dependsOnPositions = [];
  if (isNull) return;
  if (!isSeq(value)) {
    sink.error(
      at,
      `${key} must be a list of spec ids, e.g. [01-setup, retry] (got ${describeNode(value)})`,
    );
    return;
  }
  for (const item of value.items as Node[]) {
    const v = scalarValue(item);
    const itemAt = sink.nodePosition(item, at);
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) {
      fields.dependsOn.push(String(v));
      fields.dependsOnPositions.push(itemAt);
    } else if (typeof v === 'string' && SPEC_ID.test(v.trim())) {
      fields.dependsOn.push(v.trim());
      fields.dependsOnPositions.push(itemAt);
    } else {
      sink.error(
        itemAt,
        `${key} entries must be spec ids or spec numbers (got ${describeNode(item)})`,
      );
    }
  }
}

function readStringList(
  value: Node | null,
  isNull: boolean,
  at: SpecPosition,
  message: string,
  sink: ProblemSink,
): string[] {
  if (isNull) return [];
  if (!isSeq(value)) {
    sink.error(at, `${message} (got ${describeNode(value)})`);
    return [];
  }
  const out: string[] = [];
  for (const item of value.items as Node[]) {
    const v = scalarValue(item);
    if (typeof v === 'string' && v.trim() !== '') out.push(v.trim());
    else
      sink.error(sink.nodePosition(item, at), `${message} (got ${describeNode(item)} in the list)`);
  }
  return out;
}

function readBudget(
  value: Node | null,
  isNull: boolean,
  at: SpecPosition,
  fields: FrontmatterFields,
  sink: ProblemSink,
): void {
  if (isNull) return;
  if (!isMap(value)) {
    sink.error(
      at,
      `budget must be a mapping such as { usd: 2, tokens: 500000 } (got ${describeNode(value)})`,
    );
    return;
  }
  const budget: { usd?: number; tokens?: number } = {};
  for (const pair of value.items as Pair[]) {
    const name = String(scalarValue(pair.key) ?? '');
    const v = scalarValue(pair.value);
    const vAt = sink.nodePosition(pair.value as Node, sink.nodePosition(pair.key as Node, at));
    if (name === 'usd') {
      if (typeof v === 'number' && v > 0 && Number.isFinite(v)) budget.usd = v;
      else
        sink.error(
          vAt,
          `budget.usd must be a positive amount in US dollars (got ${describeNode(pair.value)})`,
        );
    } else if (name === 'tokens') {
      if (typeof v === 'number' && Number.isInteger(v) && v > 0) budget.tokens = v;
      else
        sink.error(
          vAt,
          `budget.tokens must be a positive whole number (got ${describeNode(pair.value)})`,
        );
    } else {
      const guess = didYouMean(name, ['usd', 'tokens']);
      sink.warning(
        sink.nodePosition(pair.key as Node, at),
        `unknown key "${name}" in budget${guess ? ` (did you mean "${guess}"?)` : ''}; it is ignored`,
      );
    }
  }
  fields.budget = budget;
}
