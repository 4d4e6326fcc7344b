import type { Colors } from './colors.js';
import type { RunEvent } from '../core/run/events.js';
import { oneLine, shortCommit } from './format.js';

type LaneEvent = Extract<RunEvent, { type: 'lane' }>;

/**
 * The plain line of a `lane` event (the renderer puts the spec id in front): a lane of a
 * parallel run opens, waits to merge, merges — or does not, and its spec is re-attempted.
 * `merging`: the spec being merged before this event.
 */
export function laneLine(e: LaneEvent, c: Colors, merging: string | undefined): string {
  const why = e.reason ? `: ${oneLine(e.reason)}` : '';
  switch (e.phase) {
    case 'opened':
      return c.dim(`lane opened${e.branch ? ` on ${e.branch}` : ''}`);
    case 'queued': {
      // Who merges before it: the spec being merged, then those ahead in the queue.
      const queue = e.queue ?? [];
      const at = queue.indexOf(e.specId);
      const ahead = [
        ...(merging && merging !== e.specId ? [merging] : []),
        ...(at > 0 ? queue.slice(0, at) : []),
      ];
      return `queued to merge${ahead.length ? ` after ${ahead.join(', ')}` : ''}`;
    }
    case 'merging': {
      const waiting = (e.queue ?? []).filter((id) => id !== e.specId);
      return `merging onto the run branch${waiting.length ? ` (waiting: ${waiting.join(', ')})` : ''}`;
    }
    case 'merged':
      return c.green(`✔ merged${e.commit ? ` as ${shortCommit(e.commit)}` : ''}`);
    case 'conflict':
      return c.red(`✘ merge conflict, not merged${why}`);
    case 'merge_failed':
      return c.red(`✘ failed on the run branch after merge, not merged${why}`);
    case 'closed':
      return c.dim('lane closed');
    default:
      return `lane ${String(e.phase)}`;
  }
}

/** The spec an event is about, if any. */
export function specOf(e: RunEvent): string | undefined {
  return 'specId' in e && typeof e.specId === 'string' ? e.specId : undefined;
}
