import type { RunEvent } from '../run/events.js';
import { secretRedactor, type Redactor } from './redact.js';

/**
 * Redaction of the run's event stream, at the one place events are made (the emitter
 * that stamps `t` and `runId`): what events.jsonl, `--json`, the plain renderer and the
 * TUI get is already redacted.
 *
 * Text deltas need state: a secret may arrive split over two chunks. The redactor keeps
 * back the end of a delta that could be the start of a secret and sends it with the
 * next delta of the same turn. When the turn's text is complete (any other event of the
 * same attempt), the held-back end is dropped, not sent: the `text` event that follows
 * carries the whole, redacted text, and readers replace the streamed text with it.
 */
export function createEventRedactor(
  redactor: Redactor = secretRedactor(),
): (event: RunEvent) => RunEvent | undefined {
  let held: { key: string; text: string } | undefined;
  return (event) => {
    if (redactor.empty) return event;
    if (event.type === 'agent') {
      const key = `${event.specId}\0${event.attempt}\0${event.event.type === 'text_delta' ? event.event.turn : ''}`;
      if (event.event.type === 'text_delta') {
        const pending = held?.key === key ? held.text : '';
        const text = redactor.redact(pending + event.event.text);
        const hold = redactor.holdLength(text);
        held = hold > 0 ? { key, text: text.slice(text.length - hold) } : undefined;
        const out = text.slice(0, text.length - hold);
        if (out === '') return undefined;
        return redactor.redactDeep({ ...event, event: { ...event.event, text: out } });
      }
    }
    held = undefined;
    return redactor.redactDeep(event);
  };
}
