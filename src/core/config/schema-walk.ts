import type { z } from 'zod';

/** The kind of leaf value at a config key path, read from the zod schema. */
export type LeafKind =
  | 'string'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'array'
  | 'enum'
  | 'record'
  | 'object'
  /** A union of a string and a list (`spec_dir`): one value, or a JSON list of them. */
  | 'string-or-array';

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  checks?: { _zod?: { def?: { check?: string; format?: string } } }[];
  entries?: Record<string, string>;
  options?: z.ZodType[];
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    const def = defOf(s);
    if (
      (def.type === 'default' || def.type === 'optional' || def.type === 'nullable') &&
      def.innerType
    ) {
      s = def.innerType;
    } else return s;
  }
}

/** The schema at `path` (dotted keys), or undefined when no such key exists. */
export function schemaAt(root: z.ZodType, path: readonly string[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = unwrap(root);
  for (const key of path) {
    if (!s) return undefined;
    const def = defOf(s);
    if (def.type !== 'object' || !def.shape) return undefined;
    const next: z.ZodType | undefined = def.shape[key];
    s = next ? unwrap(next) : undefined;
  }
  return s;
}

export function leafKind(schema: z.ZodType): LeafKind {
  const def = defOf(unwrap(schema));
  switch (def.type) {
    case 'number': {
      const isInt = (def.checks ?? []).some((c) => c._zod?.def?.format === 'safeint');
      return isInt ? 'integer' : 'number';
    }
    case 'string':
    case 'boolean':
    case 'array':
    case 'enum':
    case 'record':
    case 'object':
      return def.type;
    case 'union':
      return (def.options ?? []).some((o) => defOf(unwrap(o)).type === 'array')
        ? 'string-or-array'
        : 'string';
    default:
      return 'string';
  }
}

/** Top-level and nested key names of an object schema (for did-you-mean). */
export function keysAt(root: z.ZodType, path: readonly string[]): string[] {
  const s = schemaAt(root, path);
  if (!s) return [];
  const def = defOf(s);
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** Dotted paths of every leaf key the schema defines (records and arrays are leaves). */
export function schemaLeafPaths(root: z.ZodType, prefix: string[] = []): string[] {
  const s = schemaAt(root, prefix);
  if (!s) return [];
  const def = defOf(s);
  if (def.type !== 'object' || !def.shape) return [prefix.join('.')];
  return Object.keys(def.shape).flatMap((key) => schemaLeafPaths(root, [...prefix, key]));
}
