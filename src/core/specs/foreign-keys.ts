import type { SpecStatus } from './model.js';

/** What other tools write in a spec's frontmatter, and how mmm reads it. */

/** Spellings seen in the wild, read as the canonical status. */
export const STATUS_ALIASES: Record<string, SpecStatus> = {
  in_progress: 'in-progress',
  inprogress: 'in-progress',
  'in progress': 'in-progress',
  completed: 'done',
  complete: 'done',
  todo: 'ready',
  pending: 'ready',
  open: 'ready',
  'not started': 'ready',
  'not-started': 'ready',
  wip: 'in-progress',
  active: 'in-progress',
};

/**
 * Keys other tools write (mmm's predecessor, spec-kit, Kiro, task-master) that mmm does not
 * use: accepted without a warning, so a folder of existing specs validates with --strict.
 */
export const KNOWN_FOREIGN_KEYS = new Set([
  'created',
  'updated',
  'modified',
  'date',
  'author',
  'authors',
  'owner',
  'assignee',
  'reviewers',
  'estimated_effort',
  'effort',
  'estimate',
  'complexity',
  'tags',
  'labels',
  'type',
  'description',
  'milestone',
  'epic',
  'parent',
  'related',
  'related_specs',
  'blocks',
  'version',
  'feature_branch',
  'branch',
]);
