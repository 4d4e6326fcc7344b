import { LineCounter } from 'yaml';
import { parseBody } from './body.js';
import { readCriterionChecks } from './criterion-check.js';
import { readFields, SPEC_ID, STATUS_ALIASES } from './fields.js';
import { splitFrontmatter } from './frontmatter.js';
import { decodeSpecText } from './encoding.js';
import {
  SPEC_STATUSES,
  type Criterion,
  type Spec,
  type SpecProblem,
  type SpecStatus,
} from './model.js';
import {
  idFromFileName,
  numberFromFileName,
  numberSuffixFromFileName,
  readYaml,
  type ParsedSpec,
  type ParseOptions,
} from './parse.js';
import { capBody, DEFAULT_MAX_SIZE, sizeWarning } from './size.js';
import { ProblemSink } from './yaml-context.js';

/**
 * One feature folder (spec-kit: spec.md, plan.md, tasks.md; Kiro: requirements.md,
 * design.md, tasks.md) read as one spec. Its main file is spec.md, else requirements.md,
 * else the first file present: its frontmatter (optional) takes the usual keys. The title
 * comes from the main file, the body is every file under its own heading, the criteria are
 * the tasks' boxes — else the main file's boxes, else its numbered acceptance criteria and
 * scenarios (shown, never ticked) — and the status the frontmatter's, else `done` when every
 * box is ticked, else a `**Status**:` line.
 */
export interface FolderFile {
  /** Repository-relative path. */
  file: string;
  bytes: Uint8Array;
}

const GENERIC_TITLE =
  /^(?:feature specification|specification|spec|requirements(?: document)?|implementation plan|design(?: document)?|tasks|task list)\b\s*(?:[:\-–—]\s*(.*))?$/i;
const STATUS_LINE = /^\s*\*\*Status\*\*\s*:\s*(.+?)\s*$/m;
const ACCEPTANCE = /acceptance (?:criteria|scenarios)/i;
const NUMBERED = /^[ \t]*\d{1,4}[.)][ \t]+(\S.*?)[ \t]*$/;
const HEADING_LINE = /^ {0,3}#{1,6}[ \t]/;

function baseName(file: string): string {
  return (file.split('/').pop() ?? file).toLowerCase();
}

/** `user-authentication` → `User authentication`. */
function humanize(name: string): string {
  const words = name
    .replace(/^\d+[A-Za-z]?[-_. ]+/, '')
    .replace(/[-_]+/g, ' ')
    .trim();
  return words ? words[0]?.toUpperCase() + words.slice(1) : name;
}

/** A `**Status**: Draft` value as a status (`ready` when it is not one mmm knows). */
export function statusFromLine(value: string): SpecStatus {
  const text = value
    .replace(/[*_`[\]]/g, '')
    .trim()
    .toLowerCase();
  if ((SPEC_STATUSES as readonly string[]).includes(text)) return text as SpecStatus;
  return STATUS_ALIASES[text] ?? 'ready';
}

/** Numbered items under an "Acceptance Criteria" / "Acceptance Scenarios" heading or label. */
function textCriteria(body: string, firstLine: number): Criterion[] {
  const out: Criterion[] = [];
  let inside = false;
  let fence = false;
  body.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (/^ {0,3}(```|~~~)/.test(line)) fence = !fence;
    if (fence) return;
    if (HEADING_LINE.test(line) || /^\s*\*\*[^*]+\*\*\s*:?\s*$/.test(line)) {
      inside = ACCEPTANCE.test(line);
      return;
    }
    const m = inside ? NUMBERED.exec(line) : null;
    if (m?.[1]) out.push({ text: m[1], done: false, line: firstLine + i, mark: 'text' });
  });
  return out;
}

export function parseFolder(
  dir: string,
  files: FolderFile[],
  options: ParseOptions = {},
): ParsedSpec {
  const problems: SpecProblem[] = [];
  const maxSize = options.maxSize ?? DEFAULT_MAX_SIZE;
  const texts: Array<{
    file: string;
    yaml?: string;
    yamlLine: number;
    body: string;
    bodyLine: number;
  }> = [];
  for (const f of files) {
    const decoded = decodeSpecText(f.bytes);
    if (!decoded.ok) {
      problems.push({
        file: f.file,
        line: decoded.line,
        column: decoded.column,
        message: decoded.message,
        severity: 'error',
      });
      continue;
    }
    if (f.bytes.length > maxSize) problems.push(sizeWarning(f.file, f.bytes.length, maxSize));
    const split = splitFrontmatter(decoded.text);
    if (split.unclosed) {
      problems.push({
        file: f.file,
        line: 1,
        column: 1,
        message:
          'frontmatter opened with --- is never closed: add a line with --- after the last key',
        severity: 'error',
      });
      continue;
    }
    texts.push({
      file: f.file,
      yaml: split.yaml,
      yamlLine: split.yamlLine,
      body: split.body,
      bodyLine: split.bodyLine,
    });
  }
  const main =
    texts.find((t) => baseName(t.file) === 'spec.md') ??
    texts.find((t) => baseName(t.file) === 'requirements.md') ??
    texts[0];
  const folderName = dir.split('/').pop() ?? dir;
  if (!main) return { problems };

  let fields: ReturnType<typeof readFields> = { checks: [] };
  if (main.yaml !== undefined) {
    const lineCounter = new LineCounter();
    const sink = new ProblemSink(main.file, lineCounter, main.yamlLine - 1);
    const contents = readYaml(main.yaml, lineCounter, sink);
    if (contents) fields = readFields(contents, sink);
    problems.push(...sink.problems);
  }
  const mainBody = parseBody(main.body, main.bodyLine);
  const heading = mainBody.title?.text;
  const generic = heading === undefined ? undefined : GENERIC_TITLE.exec(heading);
  const named = generic ? generic[1]?.replace(/^\[.*\]$/, '').trim() : heading;
  const title = fields.title ?? (named || humanize(folderName));

  const tasks = texts.find((t) => baseName(t.file) === 'tasks.md');
  let criteria: Criterion[] = [];
  if (tasks) {
    criteria = parseBody(tasks.body, tasks.bodyLine, true).criteria.map((c) => ({
      ...c,
      source: tasks.file,
    }));
    criteria = readCriterionChecks(tasks.file, criteria, problems);
  }
  if (criteria.length === 0) {
    const boxes = readCriterionChecks(main.file, mainBody.criteria, problems);
    criteria =
      boxes.length > 0
        ? boxes
        : texts.flatMap((t) =>
            textCriteria(t.body, t.bodyLine).map((c) =>
              t.file === main.file ? c : { ...c, source: t.file },
            ),
          );
  }
  if (main !== tasks)
    criteria = criteria.map((c) =>
      c.source === main.file ? (({ source: _s, ...rest }) => rest)(c) : c,
    );

  const boxes = criteria.filter((c) => c.mark === undefined);
  const statusLine = STATUS_LINE.exec(main.body)?.[1];
  const status: SpecStatus =
    fields.status ??
    (boxes.length > 0 && boxes.every((c) => c.done)
      ? 'done'
      : boxes.some((c) => c.done)
        ? 'in-progress'
        : statusLine !== undefined
          ? statusFromLine(statusLine)
          : 'ready');

  const body = texts
    .map((t) => `## ${baseName(t.file)} (${t.file})\n\n${capBody(t.body.trim(), t.file, maxSize)}`)
    .join('\n\n');
  const id = fields.id ?? idFromFileName(folderName);
  if (!SPEC_ID.test(id)) {
    problems.push({
      file: main.file,
      line: 1,
      column: 1,
      message: 'cannot derive a spec id from the folder name: add "id: ..." to the frontmatter',
      severity: 'error',
    });
  }
  const number = fields.number ?? numberFromFileName(folderName);
  const suffix =
    fields.number !== undefined ? fields.numberSuffix : numberSuffixFromFileName(folderName);
  const spec: Spec = {
    id,
    title,
    file: main.file,
    layout: 'folder',
    sources: texts.map((t) => t.file),
    status,
    priority: fields.priority ?? 'medium',
    dependsOn: fields.dependsOn ?? [],
    files: fields.files ?? [],
    checks: fields.checks,
    criteria,
    sections: mainBody.sections,
    body: `# ${title}\n\n${body}\n`,
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
  // The folder's other files are the spec too: an attempt may not tick its own boxes.
  const protect = [
    ...(fields.protect ?? []),
    ...texts.map((t) => t.file).filter((f) => f !== main.file),
  ];
  if (protect.length) spec.protect = protect;
  if (fields.allowEdit?.length) spec.allowEdit = fields.allowEdit;
  if (problems.some((p) => p.severity === 'error')) return { partial: spec, problems };
  return { spec, problems };
}
