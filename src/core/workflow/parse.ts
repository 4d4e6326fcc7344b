import { createHash } from 'node:crypto';
import { isMap, isSeq, LineCounter, parseDocument, type Node, type YAMLError } from 'yaml';
import { decodeUtf8 } from '../specs/text.js';
import type { SpecProblem } from '../specs/model.js';
import { ProblemSink } from '../specs/yaml-context.js';
import type { Workflow, WorkflowSource } from './model.js';
import { readMmmWorkflow, type ReadWorkflow } from './read-mmm.js';
import { readPredecessorWorkflow, type CommandPrompts } from './read-predecessor.js';
import { validateWorkflow } from './validate.js';

/** A workflow problem: same shape as a spec problem (`file:line:col: message`). */
export type WorkflowProblem = SpecProblem;

export interface ParseOptions {
  /** The path shown in problems (repository-relative for project files). */
  file: string;
  /** The name used when the file has no `name:` (its file name without .yml). */
  defaultName: string;
  /** Where the file came from; `hash` and `format` are filled in here. */
  origin: WorkflowSource['origin'];
  /** The absolute path recorded in `source.path`. */
  path: string;
  /** The prompts of `.claude/commands/<name>.md`, for the predecessor's `claude: "/name"`. */
  commands?: CommandPrompts;
  /** Names `workflow:` steps may run; unchecked when absent. */
  knownWorkflows?: readonly string[];
}

/** `name.yml` / `name.yaml` → `name`. */
export function workflowNameOf(file: string): string {
  return (file.split('/').pop() ?? file).replace(/\.ya?ml$/i, '');
}

function yamlMessage(error: YAMLError): string {
  const first = error.message.split('\n')[0] ?? error.message;
  return first.replace(/ at line \d+, column \d+:?$/, '');
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Parse and validate one workflow file (mmm's format, or the predecessor's list of
 * `- claude:` / `- shell:` items). Never throws: `workflow` is set only when there is no
 * problem; every problem found is returned, each with file:line:col.
 */
export function parseWorkflow(
  bytes: Uint8Array,
  options: ParseOptions,
): { workflow?: Workflow; problems: WorkflowProblem[] } {
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    const sink = new ProblemSink(options.file);
    sink.error(
      { line: decoded.line, column: decoded.column },
      'file is not valid UTF-8 (the first invalid byte is here): save it with UTF-8 encoding',
    );
    return { problems: sink.problems };
  }
  const text = decoded.text.replace(/^\uFEFF/, '');
  const lineCounter = new LineCounter();
  const sink = new ProblemSink(options.file, lineCounter);
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  for (const e of doc.errors)
    sink.error(sink.positionOf(e.pos[0]), `invalid YAML: ${yamlMessage(e)}`);
  if (doc.errors.length > 0) return { problems: sink.problems };

  const contents = doc.contents as Node | null;
  let read: ReadWorkflow | undefined;
  let format: WorkflowSource['format'] = 'mmm';
  if (isSeq(contents) || (isMap(contents) && contents.has('commands') && !contents.has('steps'))) {
    format = 'predecessor';
    read = readPredecessorWorkflow(
      doc,
      options.defaultName,
      sink,
      options.commands ?? (() => undefined),
    );
  } else if (isMap(contents)) {
    if (!contents.has('steps'))
      sink.error(
        sink.nodePosition(contents),
        'a workflow needs steps: (a list such as - shell: "npm test")',
      );
    read = readMmmWorkflow(doc, options.defaultName, sink);
  } else {
    sink.error(
      sink.nodePosition(contents, { line: 1, column: 1 }),
      'a workflow file is a mapping with steps: (or a list of - claude: / - shell: items); see docs/workflows.md',
    );
  }
  if (read) {
    const forEachNode = isMap(contents)
      ? (contents.getIn(['for_each', 'command'], true) as Node)
      : undefined;
    validateWorkflow(read.workflow, read.stepNodes, text, sink, {
      ...(options.knownWorkflows ? { knownWorkflows: options.knownWorkflows } : {}),
      ...(forEachNode ? { forEachNode } : {}),
    });
  }
  sink.problems.sort((a, b) => a.line - b.line || a.column - b.column);
  if (!read || sink.hasErrors) return { problems: sink.problems };
  const source: WorkflowSource = {
    path: options.path,
    origin: options.origin,
    hash: sha256(bytes),
    format,
  };
  return { workflow: { ...read.workflow, source }, problems: sink.problems };
}
