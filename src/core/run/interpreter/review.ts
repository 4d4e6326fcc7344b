import { readdir, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { buildSystemPrompt, taskMessage } from '../../agent/index.js';
import { commitAll, headCommit, resetTo } from '../../git/index.js';
import { nextSpecFileName } from '../../specs/new-spec.js';
import { formatProblem, type Spec } from '../../specs/model.js';
import { loadSpecs, SPEC_MAX_BYTES } from '../../specs/load.js';
import { firstSpecDir, specDirList } from '../../specs/spec-dir.js';
import { readRegularBytes } from '../../tools/regular-file.js';
import { redact } from '../../secrets/redact.js';
import type { RunEventBody } from '../events.js';
import { agentStep } from '../steps/agent-step.js';
import type { StepStop } from '../steps/types.js';
import { budgetStop, reachedLimit } from './limits.js';
import { REVIEW_SPEC_ID, reviewTask } from '../steps/prompts.js';
import { saveRunState, elapsedMs, type RunSession } from '../session.js';
import { checkAfterAgent } from '../lifecycle/run-identity.js';

/**
 * The review workflow (no specs, or --focus): a review round asks Claude for the most
 * valuable improvement and to write it as a spec file; the loop then implements it like
 * any spec (templates/workflows/review.yml, `for_each: {specs: ready, propose: review}`).
 */

/** Review rounds in a row that may produce nothing usable before the review stops. */
const MAX_EMPTY_ROUNDS = 2;

const REVIEW_RULES = [
  'This is a review step: do not modify any existing file. Your only output is the new spec file.',
  'Do not write `allow_edit:` into the spec: opening protected paths is for a person to decide.',
  "The spec's `run:` checks pass the same command policy as your bash tool before mmm runs them: a check that commits, pushes or changes branches, refs or git config is refused and fails. Write checks that only test the work.",
];

async function specFileNames(workDir: string, specDir: string): Promise<string[]> {
  try {
    return (await readdir(resolve(workDir, specDir))).sort();
  } catch {
    return [];
  }
}

export async function* reviewRound(
  session: RunSession,
): AsyncGenerator<RunEventBody, { kind: 'continue' } | StepStop> {
  const { state } = session;
  const review = state.review ?? { rounds: 0, empty: 0, finished: false };
  const round = review.rounds + 1;
  const base = await headCommit(session.workDir);
  state.current = { specId: REVIEW_SPEC_ID, attempt: round, step: 'review', checkpoint: base };
  await saveRunState(session);
  yield { type: 'step', specId: REVIEW_SPEC_ID, attempt: round, step: 'review' };

  // The proposal goes into the first spec directory, numbered after every spec directory's
  // files (spec numbers are unique across them).
  const dir = firstSpecDir(session.specDir).replace(/\/+$/, '');
  const before = await specFileNames(session.workDir, dir);
  const numbered = [before];
  for (const other of specDirList(session.specDir).slice(1)) {
    numbered.push(await specFileNames(session.workDir, other));
  }
  const number = nextSpecFileName(numbered.flat(), 'x').replace(/-x\.md$/, '');
  const path = `${dir}/${number}-<short-name>.md`;
  // `--focus` is the review workflow's `focus` variable (recorded as plan.focus before workflows).
  const focus = state.workflowRun?.vars.focus || state.plan?.focus;
  const task = reviewTask({
    path,
    ...(focus ? { focus } : {}),
    existing: session.specs.map((s) => ({
      id: s.id,
      title: s.title,
      status: state.specs[s.id]?.status === 'failed' ? 'failed' : s.status,
    })),
    commands: session.commands,
  });
  const spec = { id: REVIEW_SPEC_ID, title: task.title, body: task.body, file: path };
  const result = yield* agentStep(session, {
    specId: REVIEW_SPEC_ID,
    attempt: round,
    system: buildSystemPrompt({
      ...(state.plan?.analysisSummary ? { analysisSummary: state.plan.analysisSummary } : {}),
      ...(session.agentNotes ? { agentNotes: session.agentNotes } : {}),
      spec,
      checks: [`a new, valid spec file in ${dir}/`],
      previousAttempts: [],
      extraRules: REVIEW_RULES,
    }),
    task: taskMessage(spec),
  });
  switch (result.reason) {
    case 'aborted':
      return { kind: 'stop', status: 'interrupted', reason: 'interrupted by a signal' };
    case 'budget_usd':
    case 'budget_tokens':
    case 'budget_time':
      return {
        kind: 'stop',
        status: 'limit',
        reason: reachedLimit(state, elapsedMs(session)) ?? budgetStop(result.reason) ?? 'limit',
      };
    case 'provider_error':
      return { kind: 'stop', status: 'provider_error', reason: result.error ?? 'provider error' };
    default:
      break;
  }
  // A review that tampered with git is repaired; its tree is reset to `base` below anyway.
  yield* checkAfterAgent(session, base);

  const after = await specFileNames(session.workDir, dir);
  const added = after.filter((name) => !before.includes(name) && /\.(md|markdown)$/i.test(name));
  const contents = new Map<string, Buffer>();
  for (const name of added) {
    // Never a blocking read of a FIFO the agent made; loadSpecs reports such a file.
    const read = await readRegularBytes(join(resolve(session.workDir, dir), name), SPEC_MAX_BYTES);
    if (read.ok) contents.set(name, read.bytes);
  }
  let proposed: Spec[] = [];
  let problems: string[] = [];
  if (added.length > 0) {
    const loaded = await loadSpecs(session.workDir, session.specDir);
    const files = new Set(added.map((name) => `${dir}/${name}`));
    proposed = loaded.specs.filter((s) => files.has(s.file));
    problems = loaded.problems
      .filter((p) => p.severity === 'error' && files.has(p.file))
      .map(formatProblem);
    // allow_edit opens protected paths and the guard's rules: a person's decision, never
    // the model's about its own next task.
    for (const s of proposed.filter((p) => p.allowEdit?.length)) {
      problems.push(
        `${s.file}: allow_edit is not allowed in a proposed spec (it would open ${(s.allowEdit ?? []).join(', ')} to the attempt that implements it); leave it out — a person adds it when the task needs it`,
      );
    }
  }
  // Only the new spec files are kept: anything else the review touched is undone.
  await resetTo(session.workDir, base);

  if (added.length === 0 || problems.length > 0 || proposed.length === 0) {
    const empty = added.length === 0 ? MAX_EMPTY_ROUNDS : review.empty + 1;
    const finished = empty >= MAX_EMPTY_ROUNDS;
    state.review = { rounds: round, empty, finished };
    state.current = null;
    await saveRunState(session);
    if (added.length === 0) {
      yield {
        type: 'warning',
        message: `review round ${round} proposed nothing more: ${result.summary.split('\n')[0] || 'no summary'}`,
      };
    } else {
      yield {
        type: 'warning',
        message: `review round ${round} wrote an invalid spec, discarded:\n${problems.join('\n')}`,
      };
    }
    return { kind: 'continue' };
  }

  for (const [name, data] of contents) {
    const file = join(resolve(session.workDir, dir), name);
    await mkdir(dirname(file), { recursive: true });
    // A proposed spec is the model's text: secret values never reach the commit.
    const text = data.toString('utf8');
    const clean = redact(text);
    await writeFile(file, clean === text ? data : clean);
  }
  await commitAll(
    session.workDir,
    redact(
      `mmm: propose ${proposed.map((s) => s.title).join('; ')}\n\n${result.summary.trim()}`.trim(),
    ),
    {
      'Mmm-Run': state.runId,
      'Mmm-Spec': proposed.map((s) => s.id).join(' '),
      'Mmm-Step': 'review',
    },
  );
  session.specs = [
    ...session.specs.filter((s) => !proposed.some((p) => p.id === s.id)),
    ...proposed,
  ];
  for (const s of proposed) {
    state.specOrder.push(s.id);
    state.specs[s.id] = { title: s.title, file: s.file, status: 'pending', attempts: 0 };
  }
  state.review = { rounds: round, empty: 0, finished: false };
  state.current = null;
  await saveRunState(session);
  for (const s of proposed) yield { type: 'spec_status', specId: s.id, status: 'pending' };
  return { kind: 'continue' };
}
