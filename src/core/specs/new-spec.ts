import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { didYouMean } from '../config/did-you-mean.js';
import { InputError } from '../errors.js';
import { loadSpecs, repoRelative } from './load.js';
import type { Spec } from './model.js';
import { parseSpec, slugify } from './parse.js';

/** Spec templates shipped with mmm (templates/specs/<name>.md in the package). */
export const BUILTIN_TEMPLATE_DIR = fileURLToPath(
  new URL('../../../templates/specs/', import.meta.url),
);

/** Project templates, which win over the built-in ones with the same name. */
export function projectTemplateDir(root: string): string {
  return join(root, '.mmm', 'templates', 'specs');
}

/**
 * The next numbered file name in a spec directory: one more than the highest leading
 * number among `entries` (file names), zero-padded to at least two digits, then the
 * title's slug. `["01-a.md", "07-b.md"]`, "Retry policy" → `08-retry-policy.md`.
 */
export function nextSpecFileName(entries: readonly string[], title: string): string {
  let max = 0;
  let width = 2;
  for (const name of entries) {
    const m = /^(\d+)[-_. ]/.exec(name);
    if (!m?.[1]) continue;
    max = Math.max(max, Number(m[1]));
    width = Math.max(width, m[1].length);
  }
  const slug = slugify(title) || 'spec';
  return `${String(max + 1).padStart(width, '0')}-${slug}.md`;
}

/** A YAML scalar for `text`: plain when safe, double-quoted (JSON) otherwise. */
export function yamlString(text: string): string {
  const plain = /^[A-Za-z0-9(][^:#\n\r"'`{}[\],&*!|>%@]*$/.test(text) && !/\s$/.test(text);
  return plain && parseYaml(text) === text ? text : JSON.stringify(text);
}

export interface TemplateValues {
  title: string;
  dependsOn: readonly string[];
  date?: string;
}

/**
 * Fill a template: `{{title}}` (markdown), `{{title_yaml}}` (a YAML scalar),
 * `{{depends_on}}` (a YAML flow list) and `{{date}}` (YYYY-MM-DD).
 */
export function renderTemplate(template: string, values: TemplateValues): string {
  const date = values.date ?? new Date().toISOString().slice(0, 10);
  const replacements: Record<string, string> = {
    title: values.title,
    title_yaml: yamlString(values.title),
    depends_on: `[${values.dependsOn.join(', ')}]`,
    date,
  };
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (all, name: string) => replacements[name] ?? all);
}

/** Names of the available templates (built-in and project), sorted. */
export async function listTemplates(root: string): Promise<string[]> {
  const names = new Set<string>();
  for (const dir of [BUILTIN_TEMPLATE_DIR, projectTemplateDir(root)]) {
    try {
      for (const f of await readdir(dir)) if (f.endsWith('.md')) names.add(f.slice(0, -3));
    } catch {
      // A missing template directory just contributes nothing.
    }
  }
  return [...names].sort();
}

export async function readTemplate(root: string, name: string): Promise<string> {
  if (!/^[A-Za-z0-9][\w-]*$/.test(name)) throw unknownTemplate(name, await listTemplates(root));
  for (const dir of [projectTemplateDir(root), BUILTIN_TEMPLATE_DIR]) {
    const file = join(dir, `${name}.md`);
    if (existsSync(file)) return readFile(file, 'utf8');
  }
  throw unknownTemplate(name, await listTemplates(root));
}

function unknownTemplate(name: string, available: string[]): InputError {
  const guess = didYouMean(name, available);
  return new InputError(
    `unknown spec template "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
    {
      hint: `available templates: ${available.join(', ')}`,
    },
  );
}

export interface NewSpecOptions {
  root: string;
  /** One spec directory, or several: the spec is written into the first. */
  specDir: string | readonly string[];
  title: string;
  template?: string;
  dependsOn?: readonly string[];
  date?: string;
}

/**
 * Write the next numbered spec file from a template, into the (first) spec directory; its
 * number follows the highest of every spec directory, as ids are unique across them.
 * Dependencies must name existing specs. Creates the spec directory when missing. Returns
 * the parsed new spec.
 */
export async function createSpec(options: NewSpecOptions): Promise<Spec> {
  const title = options.title.trim();
  if (!title)
    throw new InputError('the spec title is empty', { hint: 'mmm spec new "Add a retry policy"' });
  const dirs = (typeof options.specDir === 'string' ? [options.specDir] : options.specDir).map(
    (d) => (isAbsolute(d) ? d : resolve(options.root, d)),
  );
  const dir = dirs[0] ?? resolve(options.root, 'specs');
  const present = dirs.filter((d) => existsSync(d));
  const dependsOn = options.dependsOn ?? [];
  const entries: string[] = [];
  let existing: readonly Spec[] = [];
  if (present.length > 0) {
    // listSpecFiles (in loadSpecs) reports a spec_dir that is a file as an InputError.
    existing = (await loadSpecs(options.root, present)).specs;
    for (const d of present) entries.push(...(await readdir(d)));
    if (dependsOn.length > 0) {
      const ids = existing.map((s) => s.id);
      for (const dep of dependsOn) {
        if (ids.includes(dep)) continue;
        const guess = didYouMean(dep, ids);
        throw new InputError(
          `--depends-on ${dep}: no spec has this id${guess ? ` (did you mean "${guess}"?)` : ''}`,
          {
            hint: ids.length ? `existing ids: ${ids.join(', ')}` : 'there are no specs yet',
          },
        );
      }
    }
  } else if (dependsOn.length > 0) {
    throw new InputError(`--depends-on ${dependsOn[0] ?? ''}: there are no specs yet`);
  }
  const template = await readTemplate(options.root, options.template ?? 'feature');
  const text = renderTemplate(template, {
    title,
    dependsOn,
    ...(options.date ? { date: options.date } : {}),
  });
  const name = nextSpecFileName(entries, title);
  const absolute = join(dir, name);
  const file = repoRelative(options.root, absolute);
  const { spec, problems } = parseSpec(file, Buffer.from(text, 'utf8'));
  if (!spec) {
    const first = problems[0];
    throw new InputError(
      `template "${options.template ?? 'feature'}" does not produce a valid spec`,
      {
        problems: problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`),
        hint: first ? 'fix the template file' : undefined,
      },
    );
  }
  const clash = existing.find((s) => s.id === spec.id);
  if (clash) {
    throw new InputError(`a spec with id "${spec.id}" already exists: ${clash.file}`, {
      hint: 'give the new spec a different title, or edit the existing spec',
    });
  }
  await mkdir(dir, { recursive: true });
  try {
    await writeFile(absolute, text, { flag: 'wx' });
  } catch (error) {
    throw new InputError(`cannot write ${file}: ${(error as Error).message}`, { cause: error });
  }
  return spec;
}
