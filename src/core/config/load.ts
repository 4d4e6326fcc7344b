import { readFile } from 'node:fs/promises';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { z } from 'zod';
import { InputError } from '../errors.js';
import { configSchema, type Config } from './schema.js';
import { findKeyLine } from './toml-positions.js';
import { didYouMean } from './did-you-mean.js';
import { keysAt } from './schema-walk.js';
import { readEnvLayer, setPath } from './env-layer.js';
import { findProjectRoot, globalConfigPath, projectConfigPath } from './paths.js';
import { checkSpecDirs } from './spec-dir-rule.js';

export interface LoadedConfig {
  config: Config;
  /** Project root the project config was looked up from. */
  root: string;
  /** dotted key → where its value came from: `default`, a file path, `env MMM_X`, `flag`. */
  sources: Record<string, string>;
  warnings: string[];
  files: { global: string; project: string };
}

export interface LoadConfigOptions {
  cwd: string;
  /** Dotted keys from CLI flags, e.g. `{ 'budget.usd': 5, model: 'x' }`; undefined is skipped. */
  flags?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
}

interface Layer {
  label: string;
  values: Record<string, unknown>;
}

/**
 * The configuration pipeline: read each layer (defaults, global file, project file,
 * MMM_* environment, CLI flags), validate each against the schema so problems name
 * their file and line, merge, and parse once more for defaults. Every problem of every
 * layer is reported at once as an InputError (exit 2); nothing is written.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const root = findProjectRoot(options.cwd);
  const files = { global: globalConfigPath(env), project: projectConfigPath(root) };
  const problems: string[] = [];
  const layers: Layer[] = [];

  for (const file of [files.global, files.project]) {
    const layer = await readTomlLayer(file, problems);
    if (layer) layers.push(layer);
  }

  const envLayer = readEnvLayer(env);
  problems.push(...envLayer.problems);
  const envIssues = configSchema.safeParse(envLayer.values);
  if (!envIssues.success) {
    for (const issue of envIssues.error.issues) {
      const key = issue.path.join('.');
      problems.push(`${envLayer.origins[key] ?? 'environment'}: ${key}: ${issue.message}`);
    }
  }
  layers.push({ label: 'env', values: envLayer.values });

  const flagValues: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options.flags ?? {})) {
    if (value !== undefined) setPath(flagValues, key.split('.'), value);
  }
  const flagIssues = configSchema.safeParse(flagValues);
  if (!flagIssues.success) {
    for (const issue of flagIssues.error.issues) {
      problems.push(`command-line flag for ${issue.path.join('.')}: ${issue.message}`);
    }
  }
  layers.push({ label: 'flag', values: flagValues });

  if (problems.length > 0) {
    throw new InputError(
      `Invalid configuration (${problems.length} problem${problems.length > 1 ? 's' : ''}):`,
      {
        problems,
        hint: 'Fix the values above; `mmm config schema` lists every key and type.',
      },
    );
  }

  const merged: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const layer of layers) {
    mergeInto(merged, layer.values);
    for (const key of leafKeys(layer.values)) {
      // An empty table (`[validate]` with every line commented out) sets nothing.
      if (isEmptyTable(valueAt(layer.values, key))) continue;
      sources[key] =
        layer.label === 'env' ? `env ${envLayer.origins[key] ?? ''}`.trim() : layer.label;
    }
  }
  const config = configSchema.parse(merged);
  for (const key of leafKeys(config as unknown as Record<string, unknown>)) {
    sources[key] ??= matchSource(sources, key) ?? 'default';
  }
  // spec_dir must stay inside the repository (checked against the file system);
  // a list names each folder once.
  const specDir = checkSpecDirs(root, config.spec_dir);
  if (!specDir.ok) {
    const n = specDir.messages.length;
    throw new InputError(`Invalid configuration (${n} problem${n > 1 ? 's' : ''}):`, {
      problems: specDir.messages.map((m) => `${sources.spec_dir ?? 'default'}: ${m}`),
      hint: `Fix the value${n > 1 ? 's' : ''} above; \`mmm config schema\` lists every key and type.`,
    });
  }
  config.spec_dir = specDir.value;
  return { config, root, sources, warnings: envLayer.warnings, files };
}

async function readTomlLayer(file: string, problems: string[]): Promise<Layer | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    problems.push(`${file}: cannot read: ${(error as Error).message}`);
    return undefined;
  }
  let values: Record<string, unknown>;
  try {
    values = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) {
      const first = error.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? '';
      problems.push(`${file}:${error.line}:${error.column}: invalid TOML: ${first}`);
    } else problems.push(`${file}: invalid TOML: ${(error as Error).message}`);
    return undefined;
  }
  const result = configSchema.safeParse(values);
  if (!result.success) problems.push(...describeIssues(file, text, result.error.issues));
  return { label: file, values };
}

function describeIssues(file: string, text: string, issues: readonly z.core.$ZodIssue[]): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const line = findKeyLine(text, [...path, key]);
        const guess = didYouMean(key, keysAt(configSchema, path));
        const where = [...path, key].join('.');
        out.push(
          `${file}:${line}: unknown key "${where}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
        );
      }
      continue;
    }
    const line = findKeyLine(text, path);
    out.push(`${file}:${line}: ${path.join('.') || '(root)'}: ${issue.message}`);
  }
  return out;
}

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const current = target[key];
    if (isPlainObject(value) && isPlainObject(current)) mergeInto(current, value);
    else target[key] = isPlainObject(value) ? structuredClone(value) : value;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Dotted paths of leaves; arrays and records of pricing count as leaves at their key. */
export function leafKeys(obj: Record<string, unknown>, prefix = ''): string[] {
  const keys: string[] = [];
  for (const [key, value] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isPlainObject(value) && Object.keys(value).length > 0 && path !== 'pricing') {
      keys.push(...leafKeys(value, path));
    } else keys.push(path);
  }
  return keys;
}

function valueAt(obj: Record<string, unknown>, key: string): unknown {
  let value: unknown = obj;
  for (const part of key.split('.')) value = isPlainObject(value) ? value[part] : undefined;
  return value;
}

function isEmptyTable(value: unknown): boolean {
  return isPlainObject(value) && Object.keys(value).length === 0;
}

function matchSource(sources: Record<string, string>, key: string): string | undefined {
  // A whole table set in a layer (e.g. `pricing`) gives its source to its leaves.
  for (const [k, v] of Object.entries(sources)) if (key.startsWith(`${k}.`)) return v;
  return undefined;
}
