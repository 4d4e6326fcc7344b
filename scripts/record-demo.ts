/**
 * Records the transcript that `mmm demo` replays: runs the real built `mmm improve` on a
 * fresh copy of templates/demo against the fake Anthropic server, with a scripted model
 * that does what a good model would (look, edit, run the tests, summarize) using the
 * exact edits of templates/demo-solution.md. Its first attempt at `validate-input` writes
 * a wrong assertion, so the demo also shows a failed validation fixed on retry.
 *
 *   npm run build && npx tsx scripts/record-demo.ts
 *
 * Writes templates/demo.transcript.jsonl. Re-record after changing the prompt shape,
 * the demo project or the tools.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  startFakeAnthropic,
  type RecordedRequest,
  type ScriptedReply,
} from '../tests/support/fake-anthropic.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'dist/cli/bin.js');
const out = join(root, 'templates/demo.transcript.jsonl');

interface Edit {
  command: 'str_replace' | 'create';
  path: string;
  old?: string;
  text: string;
}

/** SOLUTION.md → edits per spec id. */
function readSolution(): Record<string, Edit[]> {
  const md = readFileSync(join(root, 'templates/demo-solution.md'), 'utf8');
  const edits: Record<string, Edit[]> = {};
  let spec = '';
  let current: Edit | undefined;
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const h2 = /^## (\S+)$/.exec(line);
    if (h2?.[1]) {
      spec = h2[1];
      edits[spec] = [];
      continue;
    }
    const h3 = /^### (str_replace|create) (\S+)$/.exec(line);
    if (h3?.[1] && h3[2]) {
      current = { command: h3[1] as Edit['command'], path: h3[2], text: '' };
      edits[spec]?.push(current);
      continue;
    }
    const fence = /^```(old|new|file)$/.exec(line);
    if (fence?.[1] && current) {
      const body: string[] = [];
      while (++i < lines.length && lines[i] !== '```') body.push(lines[i] ?? '');
      if (fence[1] === 'old') current.old = body.join('\n');
      else current.text = body.join('\n') + (fence[1] === 'file' ? '\n' : '');
    }
  }
  return edits;
}

const SOLUTION = readSolution();
const WRONG = 'message: /string/ });';
const WRONG_BY = 'message: /must be text/ });';

function usage(input: number, output: number, cacheRead = 0): ScriptedReply['usage'] {
  return { input_tokens: input, output_tokens: output, cache_read_input_tokens: cacheRead };
}

function tool(
  text: string,
  name: string,
  input: unknown,
  u: ScriptedReply['usage'],
): ScriptedReply {
  return {
    content: [
      { type: 'text', text },
      { type: 'tool_use', name, input },
    ],
    stop_reason: 'tool_use',
    usage: u,
  };
}

function editReply(edit: Edit, n: number, wrong: boolean): ScriptedReply {
  const input =
    edit.command === 'create'
      ? {
          command: 'create',
          path: edit.path,
          file_text: wrong ? edit.text.replace(WRONG, WRONG_BY) : edit.text,
        }
      : { command: 'str_replace', path: edit.path, old_str: edit.old, new_str: edit.text };
  const verb = edit.command === 'create' ? 'Creating' : 'Editing';
  return tool(
    `${verb} \`${edit.path}\`.`,
    'str_replace_based_edit_tool',
    input,
    usage(2400 + n * 300, 420, 1800),
  );
}

/** The test file each demo spec's last criterion checks (`<!-- check: run: … -->`). */
const TEST_FILES: Record<string, string> = {
  'slugify-separator': 'test/slugify.test.js',
  'validate-input': 'test/validate.test.js',
  'truncate-words': 'test/truncate.test.js',
};

/** The evidence for the three criteria of a demo spec: the spec's own test file check. */
function evidenceReply(task: string): ScriptedReply {
  const check = `run: node --test ${TEST_FILES[task] ?? 'test/'}`;
  return tool(
    'Reporting the evidence for each acceptance criterion.',
    'report_evidence',
    {
      evidence: [1, 2, 3].map((criterion) => ({ criterion, tests: [check] })),
    },
    usage(3700, 90, 1800),
  );
}

/** The scripted model: one step per turn, by task and by how many turns the attempt has had. */
function respond(request: RecordedRequest): ScriptedReply {
  const system =
    typeof request.body.system === 'string'
      ? request.body.system
      : (request.body.system ?? []).map((b) => b.text).join('\n');
  const task = /<task id="([^"]*)"/.exec(system)?.[1] ?? '';
  const retry = /slugify rejects text that is not a string/.test(system);
  const turn = Math.ceil(request.body.messages.length / 2);
  const edits = SOLUTION[task] ?? [];
  const firstFile = edits[0]?.path ?? 'README.md';

  if (task === 'validate-input' && retry) {
    // mmm rolled the failed attempt back: redo the edits, with the assertion fixed.
    const steps: ScriptedReply[] = [
      tool(
        'The previous attempt was rolled back: its test expected the message to match /must be text/, but the error says "text must be a string". Redoing the change with the right assertion.',
        'str_replace_based_edit_tool',
        { command: 'view', path: firstFile },
        usage(3100, 380, 1800),
      ),
      ...edits.map((edit, i) => editReply(edit, i, false)),
      tool('Running the tests again.', 'bash', { command: 'npm test' }, usage(3600, 120, 1800)),
      evidenceReply(task),
    ];
    return (
      steps[turn - 1] ?? {
        content: [
          {
            type: 'text',
            text: 'slugify now throws a TypeError naming the problem when `text` or `separator` is not a string; test/validate.test.js checks both, with the right message this time. All tests pass.',
          },
        ],
        stop_reason: 'end_turn',
        usage: usage(3900, 60, 1800),
      }
    );
  }

  const steps: ScriptedReply[] = [
    tool(
      `I'll start by reading \`${firstFile}\`.`,
      'str_replace_based_edit_tool',
      { command: 'view', path: firstFile },
      usage(2100, 90, 0),
    ),
    ...edits.map((edit, i) => editReply(edit, i, task === 'validate-input')),
    tool('Now the test suite.', 'bash', { command: 'npm test' }, usage(3300, 110, 1800)),
    evidenceReply(task),
  ];
  const summaries: Record<string, string> = {
    'slugify-separator':
      'Added a `separator` option to `slugify` (default "-"); words are now split and re-joined, so separators never pile up. New test covers "_" and trimming.',
    'validate-input':
      'slugify now throws a TypeError when `text` or `separator` is not a string; tests are in test/validate.test.js.',
    'truncate-words':
      'Added `wordBoundary` to `truncate`: when the cut falls inside a word, the partial word is dropped. Tests cover both modes.',
  };
  return (
    steps[turn - 1] ?? {
      content: [{ type: 'text', text: summaries[task] ?? 'Done.' }],
      stop_reason: 'end_turn',
      usage: usage(3800, 140, 1800),
    }
  );
}

/** Runs a child without blocking this process (the fake server lives here). */
function run(
  args: string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv },
): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { ...options, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', resolve);
  });
}

const server = await startFakeAnthropic({ script: respond });
const work = mkdtempSync(join(tmpdir(), 'mmm-record-'));
try {
  const dir = join(work, 'demo');
  const home = join(work, 'home');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ANTHROPIC_BASE_URL: server.url,
    ANTHROPIC_API_KEY: 'recording',
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    CI: '1',
  };
  delete env.MMM_MODEL;
  // prepareDemo via the binary would replay; build the repo the same way by hand instead.
  const prep = await run(
    [
      '--input-type=module',
      '-e',
      `import('${join(root, 'dist/core/run/demo.js')}').then(m => m.prepareDemo({ dir: ${JSON.stringify(dir)}, needTranscript: false }))`,
    ],
    { env },
  );
  if (prep !== 0) throw new Error('preparing the demo project failed');
  const code = await run([bin, 'improve', '--no-tui'], { cwd: dir, env });
  if (code !== 0) throw new Error(`mmm improve exited ${code}`);
  const runs = readdirSync(join(dir, '.mmm/runs'));
  if (runs.length !== 1 || !runs[0]) throw new Error(`expected one run, found ${runs.join(', ')}`);
  copyFileSync(join(dir, '.mmm/runs', runs[0], 'transcript.jsonl'), out);
  console.log(`\nrecorded ${server.messageRequests().length} requests to ${out}`);
} finally {
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
