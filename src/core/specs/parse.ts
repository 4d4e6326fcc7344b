import { LineCounter, parseDocument, type Node, type YAMLError } from 'yaml';
import { parseBody } from './body.js';
import { readCriterionChecks } from './criterion-check.js';
import { readFields, SPEC_ID } from './fields.js';
import { splitFrontmatter } from './frontmatter.js';
import type { Spec, SpecProblem } from './model.js';
import { decodeSpecText } from './encoding.js';
import { parseSimpleYaml } from './fast-yaml.js';
import { capBody, DEFAULT_MAX_SIZE, sizeWarning } from './size.js';
import { ProblemSink } from './yaml-context.js';

/** A leading number, with an optional letter (`174a-`, `102A-`), then a separator. */
const FILE_NUMBER = /^(\d+)([A-Za-z](?=[-_. ]|$))?(?:[-_. ]+|$)/;

/** `specs/03-retry-policy.md` → `retry-policy`; a name that is only a number keeps it. */
export function idFromFileName(file: string): string {
  const base = (file.split('/').pop() ?? file).replace(/\.(md|markdown)$/i, '');
  const withoutNumber = base.replace(FILE_NUMBER, '');
  return slugify(withoutNumber) || slugify(base) || 'spec';
}

/** The leading number of a file name (`03-retry.md` → 3). */
export function numberFromFileName(file: string): number | undefined {
  const m = /^(\d+)/.exec(file.split('/').pop() ?? file);
  return m ? Number(m[1]) : undefined;
}

/** The letter after a file name's number (`174a-x.md` → "a"). */
export function numberSuffixFromFileName(file: string): string | undefined {
  const m = FILE_NUMBER.exec(file.split('/').pop() ?? file);
  return m?.[2]?.toLowerCase();
}

/**
 * Lower-case words joined by `-`, at most 60 characters. Latin accents are dropped
 * (`Émoji` → `emoji`); letters of other scripts are kept (`规格` stays `规格`).
 */
export function slugify(text: string): string {
  if (/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(text) && text.length <= 60) return text;
  return [
    ...text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .normalize('NFC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, ''),
  ]
    .slice(0, 60)
    .join('')
    .replace(/-+$/, '');
}

function yamlMessage(error: YAMLError): string {
  const first = error.message.split('\n')[0] ?? error.message;
  return first.replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * The frontmatter's YAML contents: through the fast subset reader when it can, else the
 * full parser. Undefined when the YAML is invalid (the errors are in `sink`).
 */
export function readYaml(
  yaml: string,
  lineCounter: LineCounter,
  sink: ProblemSink,
): Node | null | undefined {
  const simple = parseSimpleYaml(yaml, lineCounter);
  if (simple !== undefined) return simple;
  const doc = parseDocument(yaml, { lineCounter, prettyErrors: false, uniqueKeys: true });
  for (const e of doc.errors)
    sink.error(sink.positionOf(e.pos[0]), `invalid YAML: ${yamlMessage(e)}`);
  for (const w of doc.warnings) sink.warning(sink.positionOf(w.pos[0]), `YAML: ${yamlMessage(w)}`);
  return doc.errors.length > 0 ? undefined : (doc.contents as Node | null);
}

export interface ParseOptions {
  /** Over this many bytes a spec gets a warning and the model reads only this much. */
  maxSize?: number;
}

export interface ParsedSpec {
  /** Set when the file has no error. */
  spec?: Spec;
  /**
   * What could be read of a file with errors (its id, number and dependencies), so the
   * dependency graph is still checked in the same pass.
   */
  partial?: Spec;
  problems: SpecProblem[];
}

/**
 * Parse one spec file. `file` is the repository-relative path used in problems.
 * Never throws: every problem (errors and warnings) is returned; `spec` is set only when
 * there is no error.
 */
export function parseSpec(file: string, bytes: Uint8Array, options: ParseOptions = {}): ParsedSpec {
  const sink = new ProblemSink(file);
  const decoded = decodeSpecText(bytes);
  if (!decoded.ok) {
    sink.error({ line: decoded.line, column: decoded.column }, decoded.message);
    return { problems: sink.problems };
  }
  const text = decoded.text;
  if (text.trim() === '') {
    sink.error(
      { line: 1, column: 1 },
      'file is empty: give it a title and an objective (mmm spec new "<title>" starts from a template)',
    );
    return { problems: sink.problems };
  }
  const split = splitFrontmatter(text);
  if (split.unclosed) {
    sink.error(
      { line: 1, column: 1 },
      'frontmatter opened with --- is never closed: add a line with --- after the last key',
    );
    return { problems: sink.problems };
  }

  let yamlBroken = false;
  let fields: ReturnType<typeof readFields> = { checks: [] };
  if (split.yaml !== undefined) {
    const lineCounter = new LineCounter();
    const fieldsSink = new ProblemSink(file, lineCounter, split.yamlLine - 1);
    const contents = readYaml(split.yaml, lineCounter, fieldsSink);
    yamlBroken = contents === undefined;
    if (contents) fields = readFields(contents, fieldsSink);
    sink.problems.push(...fieldsSink.problems);
  }

  const body = parseBody(split.body, split.bodyLine);
  const criteria = readCriterionChecks(file, body.criteria, sink.problems);
  const title = fields.title ?? body.title?.text;
  if (!title && !yamlBroken) {
    sink.error(
      { line: split.bodyLine, column: 1 },
      'spec has no title: add "title: ..." to the frontmatter or a "# Title" heading',
    );
  }
  const id = fields.id ?? idFromFileName(file);
  if (!SPEC_ID.test(id)) {
    sink.error(
      { line: 1, column: 1 },
      `cannot derive a spec id from the file name: add "id: ..." to the frontmatter`,
    );
  }
  const maxSize = options.maxSize ?? DEFAULT_MAX_SIZE;
  if (bytes.length > maxSize) sink.problems.push(sizeWarning(file, bytes.length, maxSize));

  const number = fields.number ?? numberFromFileName(file);
  const suffix = fields.number !== undefined ? fields.numberSuffix : numberSuffixFromFileName(file);
  const spec: Spec = {
    id,
    title: title ?? '',
    file,
    status: fields.status ?? 'ready',
    priority: fields.priority ?? 'medium',
    dependsOn: fields.dependsOn ?? [],
    files: fields.files ?? [],
    checks: fields.checks,
    criteria,
    sections: body.sections,
    body: capBody(split.body, file, maxSize),
    positions: {
      ...(fields.idPosition ? { id: fields.idPosition } : {}),
      dependsOn: fields.dependsOnPositions ?? [],
    },
  };
  if (number !== undefined) spec.number = number;
  if (number !== undefined && suffix) spec.numberSuffix = suffix;
  if (fields.category !== undefined) spec.category = fields.category;
  if (fields.maxAttempts !== undefined) spec.maxAttempts = fields.maxAttempts;
  if (fields.budget !== undefined) spec.budget = fields.budget;
  if (fields.protect?.length) spec.protect = fields.protect;
  if (fields.allowEdit?.length) spec.allowEdit = fields.allowEdit;
  if (sink.problems.some((p) => p.severity === 'error') || !title) {
    return { partial: spec, problems: sink.problems };
  }
  return { spec, problems: sink.problems };
}
