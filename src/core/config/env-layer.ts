import { DECIMAL_HINT, parseDecimal } from './decimal.js';
import { configSchema } from './schema.js';
import { leafKind, schemaAt } from './schema-walk.js';

/** MMM_* variables that are not configuration keys. */
const NOT_CONFIG = new Set(['MMM_DEBUG', 'MMM_LOG_FILE']);

export interface EnvLayer {
  values: Record<string, unknown>;
  /** dotted key → variable name */
  origins: Record<string, string>;
  problems: string[];
  warnings: string[];
}

/**
 * Reads `MMM_<KEY>` variables; `__` separates nested keys (`MMM_BUDGET__USD=5` →
 * budget.usd). Values are coerced by the schema's type at that key: numbers (plain
 * decimals only, see decimal.ts), booleans
 * (true/false/1/0), arrays (JSON, or comma-separated), and a key that takes one value or a
 * list (`spec_dir`) reads a JSON list when the value starts with `[`.
 */
export function readEnvLayer(env: NodeJS.ProcessEnv): EnvLayer {
  const layer: EnvLayer = { values: {}, origins: {}, problems: [], warnings: [] };
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('MMM_') || NOT_CONFIG.has(name) || raw === undefined) continue;
    const path = name.slice(4).toLowerCase().split('__');
    const schema = schemaAt(configSchema, path);
    if (!schema) {
      layer.warnings.push(`${name} is set but is not a configuration key; ignored`);
      continue;
    }
    const coerced = coerce(raw, leafKind(schema));
    if (coerced.error) {
      layer.problems.push(`${name}=${JSON.stringify(raw)}: ${coerced.error}`);
      continue;
    }
    setPath(layer.values, path, coerced.value);
    layer.origins[path.join('.')] = name;
  }
  return layer;
}

function coerce(raw: string, kind: string): { value?: unknown; error?: string } {
  const text = raw.trim();
  switch (kind) {
    case 'number':
    case 'integer': {
      const n = parseDecimal(text);
      if (n === undefined) return { error: DECIMAL_HINT };
      return { value: n };
    }
    case 'boolean':
      if (/^(true|1|yes|on)$/i.test(text)) return { value: true };
      if (/^(false|0|no|off)$/i.test(text)) return { value: false };
      return { error: 'expected true or false' };
    case 'array':
      if (text.startsWith('[')) {
        try {
          return { value: JSON.parse(text) as unknown };
        } catch {
          return { error: 'expected a JSON array or a comma-separated list' };
        }
      }
      return { value: text === '' ? [] : text.split(',').map((s) => s.trim()) };
    case 'string-or-array':
      // A path may hold a comma: only a JSON list (`["specs","docs/specs"]`) is a list.
      if (!text.startsWith('[')) return { value: raw };
      try {
        return { value: JSON.parse(text) as unknown };
      } catch {
        return { error: 'expected one value, or a JSON list such as ["specs","docs/specs"]' };
      }
    case 'object':
    case 'record':
      try {
        return { value: JSON.parse(text) as unknown };
      } catch {
        return { error: 'expected a JSON object' };
      }
    default:
      return { value: raw };
  }
}

export function setPath(
  target: Record<string, unknown>,
  path: readonly string[],
  value: unknown,
): void {
  let node = target;
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  });
}
