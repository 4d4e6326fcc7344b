import { secretRedactor, type Redactor } from './redact.js';

/**
 * What is sent to the model, redacted: the system prompt (which carries earlier attempts'
 * feedback and summaries) and every message (tool results, the model's own earlier
 * text and tool inputs). This is the last wall in front of the provider; tool results
 * are also redacted where they are made. Thinking blocks are sent back untouched: they
 * are signed, and the API rejects an edited one.
 */
export function redactRequest<T extends { system?: unknown; messages: unknown[] }>(
  request: T,
  redactor: Redactor = secretRedactor(),
): T {
  if (redactor.empty) return request;
  return {
    ...request,
    ...(request.system === undefined ? {} : { system: redactor.redactDeep(request.system) }),
    messages: request.messages.map((m) => redactMessage(m, redactor)),
  };
}

function redactMessage(message: unknown, redactor: Redactor): unknown {
  if (!message || typeof message !== 'object') return message;
  const { content, ...rest } = message as { content?: unknown };
  if (!Array.isArray(content)) return redactor.redactDeep(message);
  return {
    ...rest,
    content: content.map((block: unknown) => {
      const type = (block as { type?: unknown } | null)?.type;
      return type === 'thinking' || type === 'redacted_thinking'
        ? block
        : redactor.redactDeep(block);
    }),
  };
}
