// The engine at scale (issue 13). Needs `npm run build`; the fake Messages server is
// tests/support/fake-anthropic.ts (loaded through tsx), with its context-window and
// prompt-cache model (a token is 4 characters). Three figures (the engine's own time per
// turn is bench/agent.bench.mjs):
// 1. transcript bytes per turn at 10, 100 and 500 turns: the stored format (each turn
//    once) against whole requests per line (the format before);
// 2. cache-read share of input tokens over a 60-turn attempt that compacts at least twice;
// 3. end-to-end time per turn of a 60-turn attempt with the real shell tool against the
//    fake server, and the same for Claude Code's CLI when it is installed
//    (~/.cache/mmm-tests/claude-code-2.1.332, or CLAUDE_BIN).
import { register } from 'tsx/esm/api';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

register();
const { startFakeAnthropic } = await import('../tests/support/fake-anthropic.ts');
const { runAgent, withLatestBreakpoint } = await import('../dist/core/agent/index.js');
const { createLlmClient } = await import('../dist/core/llm/index.js');
const { TranscriptWriter } = await import('../dist/core/llm/transcript.js');
const { configSchema } = await import('../dist/core/config/schema.js');
const { createTools } = await import('../dist/core/tools/index.js');

const dir = mkdtempSync(join(tmpdir(), 'mmm-bench-scale-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 1. Transcript bytes per turn ------------------------------------------------------------
function transcriptSizes(turns) {
  const path = join(dir, `t${turns}.jsonl`);
  rmSync(path, { force: true });
  const writer = new TranscriptWriter(path);
  const system = [{ type: 'text', text: 'You are mmm. '.repeat(200) }];
  const tools = [{ name: 'bash', description: 'Run a command. '.repeat(40), input_schema: {} }];
  const messages = [{ role: 'user', content: 'Do the task.' }];
  let whole = 0;
  for (let i = 1; i <= turns; i++) {
    const request = { model: 'claude-sonnet-5-5', system, tools, max_tokens: 16000 };
    const sent = { ...request, messages: withLatestBreakpoint(messages) };
    const response = {
      id: `msg_${i}`,
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-5-5',
      content: [
        { type: 'text', text: `Step ${String(i).padStart(4, '0')}: running the tests.` },
        {
          type: 'tool_use',
          id: `toolu_${i}`,
          name: 'bash',
          input: { command: `npm test -- ${i}` },
        },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 100, output_tokens: 50 },
    };
    writer.append(sent, response, []);
    whole +=
      JSON.stringify({ seq: i, t: new Date().toISOString(), request: sent, response }).length + 1;
    messages.push({ role: 'assistant', content: response.content });
    messages.push({
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: `toolu_${i}`,
          content: `ok ${String(i).padStart(4, '0')} `.repeat(250),
        },
      ],
    });
  }
  return { turns, stored: statSync(path).size / turns, whole: whole / turns };
}
const sizes = [10, 100, 500].map(transcriptSizes);

// 2 + 3 + 4. Attempts against the fake server ---------------------------------------------
const TURNS = 60;
function scripted(turns, command, outputChars) {
  return (request) => {
    const done = request.body.messages.filter((m) => m.role === 'assistant').length;
    if (done >= turns) return { content: [{ type: 'text', text: 'All steps done.' }] };
    return {
      content: [
        { type: 'text', text: `Step ${done + 1}.` },
        { type: 'tool_use', name: 'bash', input: { command: command(done + 1, outputChars) } },
      ],
      usage: { output_tokens: 40 },
    };
  };
}
const printCommand = (i, chars) => `head -c ${chars} /dev/zero | tr '\\0' 'x'; echo " step ${i}"`;

async function mmmAttempt({ turns, outputChars, window }) {
  const fake = await startFakeAnthropic({
    script: scripted(turns, printCommand, outputChars),
    context: window ? { window } : {},
  });
  const config = configSchema.parse({
    model: 'claude-sonnet-5-5',
    max_turns: turns + 5,
    context: window ? { window } : {},
    tools: { sandbox: 'off' },
    provider: { base_url: fake.url },
  });
  const root = mkdtempSync(join(dir, 'work-'));
  const tools = createTools({ root, protectedPaths: [], config: config.tools });
  const client = createLlmClient({
    config,
    env: { ANTHROPIC_API_KEY: 'bench' },
  });
  const usage = { input: 0, cacheRead: 0, cacheWrite: 0 };
  let compactions = 0;
  let result;
  const t0 = performance.now();
  for await (const event of runAgent({
    client,
    tools: tools.tools,
    toolContext: tools.context,
    system: 'You are a benchmark.',
    task: 'Run the steps.',
    config,
  })) {
    if (event.type === 'usage') {
      usage.input += event.usage.input;
      usage.cacheRead += event.usage.cacheRead;
      usage.cacheWrite += event.usage.cacheWrite;
    } else if (event.type === 'compaction') compactions++;
    else if (event.type === 'attempt_end') result = event;
  }
  const ms = performance.now() - t0;
  await tools.dispose();
  await fake.close();
  if (result.reason !== 'end_turn') throw new Error(`unexpected end: ${JSON.stringify(result)}`);
  return { ms, turns: result.turns, usage, compactions, rejected: fake.context?.rejected.length };
}

// 2. Cache-read share: 20 KB of output a turn against a 100k window (compacts past 60k
//    down to 30k).
const cache = await mmmAttempt({
  turns: TURNS,
  outputChars: 20_000,
  window: 100_000,
});
const prompt = cache.usage.input + cache.usage.cacheRead + cache.usage.cacheWrite;

// 4. End to end, 60 turns, small output, mmm in-process vs Claude Code's CLI.
const e2e = [];
for (let r = 0; r < 4; r++) {
  const run = await mmmAttempt({ turns: TURNS, outputChars: 200 });
  if (r > 0) e2e.push(run.ms / (run.turns - 1));
}
const claudeBin =
  process.env.CLAUDE_BIN ??
  [
    join(homedir(), '.cache/mmm-tests/claude-code-2.1.332/node_modules/.bin/claude'),
    join(
      homedir(),
      '.cache/mmm-tests/claude-code-2.1.332/node_modules/@anthropic-ai/claude-code-linux-x64/claude',
    ),
  ].find((p) => existsSync(p));

/** Runs a command to its end (stdin closed); resolves with its output. */
function run(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function claudeAttempt(turns) {
  const fake = await startFakeAnthropic({
    script: (request) => {
      const tools = (request.body.tools ?? []).map((t) => t.name);
      if (!tools.includes('Bash')) return { content: [{ type: 'text', text: 'ok' }] };
      const done = request.body.messages.filter((m) => m.role === 'assistant').length;
      if (done >= turns) return { content: [{ type: 'text', text: 'All steps done.' }] };
      return {
        content: [
          { type: 'text', text: `Step ${done + 1}.` },
          {
            type: 'tool_use',
            name: 'Bash',
            input: { command: `echo step ${done + 1}`, description: 'echo' },
          },
        ],
        usage: { output_tokens: 40 },
      };
    },
  });
  const home = mkdtempSync(join(dir, 'home-'));
  const work = mkdtempSync(join(dir, 'cc-'));
  const t0 = performance.now();
  // Not spawnSync: the fake server answers from this process's event loop.
  const r = await run(
    claudeBin,
    [
      '-p',
      'Run the steps.',
      '--output-format',
      'stream-json',
      '--verbose',
      '--permission-mode',
      'acceptEdits',
      '--allowedTools',
      'Bash(echo:*)',
      '--max-turns',
      String(turns + 5),
    ],
    {
      cwd: work,
      env: {
        ...process.env,
        HOME: home,
        ANTHROPIC_BASE_URL: fake.url,
        ANTHROPIC_API_KEY: 'bench',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      },
    },
  );
  const ms = performance.now() - t0;
  const requests = fake.messageRequests().length;
  await fake.close();
  const toolResults = (r.stdout.match(/"tool_result"/g) ?? []).length;
  if (toolResults < turns)
    throw new Error(`claude ran ${toolResults} tools: ${r.stderr.slice(0, 500)}`);
  return { ms, requests };
}
let claude;
if (claudeBin) {
  // Per turn: (60-turn run - 1-turn run) / 59, so process start-up is left out.
  const one = [];
  const many = [];
  for (let r = 0; r < 3; r++) {
    one.push((await claudeAttempt(1)).ms);
    many.push((await claudeAttempt(TURNS)).ms);
  }
  claude = { perTurn: (median(many) - median(one)) / (TURNS - 1), startup: median(one) };
}
rmSync(dir, { recursive: true, force: true });

console.log('## The engine at scale (`node bench/run.mjs scale`)\n');
console.log('Transcript bytes per turn (each turn: text + a tool call + a 2 KB result):\n');
console.log('| turns | stored (each turn once) | whole request per line (before) |');
console.log('|---|---|---|');
for (const s of sizes) {
  console.log(`| ${s.turns} | ${Math.round(s.stored)} B | ${Math.round(s.whole)} B |`);
}
const flat = sizes[2].stored / sizes[0].stored;
console.log(`\nstored bytes per turn, 500 vs 10 turns: ${flat.toFixed(2)}× (target: flat)\n`);
console.log(
  `Cache: ${cache.turns} turns, 20 KB of tool output each, 100k-token window: ` +
    `${cache.compactions} compactions; cache reads are ` +
    `${((100 * cache.usage.cacheRead) / prompt).toFixed(1)} % of prompt tokens ` +
    `(${cache.usage.cacheRead} read, ${cache.usage.cacheWrite} written, ${cache.usage.input} uncached).\n`,
);
console.log(`End to end, ${TURNS}-turn attempt, one shell command a turn, fake server:\n`);
console.log('| engine | ms per turn |');
console.log('|---|---|');
console.log(`| mmm (runAgent, real shell tool, no sandbox) | ${median(e2e).toFixed(1)} |`);
if (claude) {
  console.log(
    `| Claude Code CLI 2.1.332 (\`claude -p\`, Bash tool; start-up ${Math.round(claude.startup)} ms left out) | ${claude.perTurn.toFixed(1)} |`,
  );
} else {
  console.log('| Claude Code CLI | not installed (set CLAUDE_BIN) |');
}
console.log();
