/**
 * A fake Anthropic Messages API: a real HTTP server on 127.0.0.1 that the real SDK talks
 * to. Replies come from a queue of scripted replies (or functions of the request), and
 * each reply can instead inject a fault: an HTTP error with retry-after, a stream cut
 * mid-response, malformed SSE, or a slow start.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { replyEvents, replyMessage, type ScriptedReply } from './fake-anthropic-replies.js';
import { FakeContext, type FakeContextOptions } from './fake-anthropic-context.js';

export * from './fake-anthropic-replies.js';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: MessagesBody;
}

/** The parts of a Messages request tests look at. */
export interface MessagesBody {
  model: string;
  stream?: boolean;
  max_tokens?: number;
  system?: { type: string; text: string; cache_control?: unknown }[] | string;
  tools?: { name: string; type?: string; cache_control?: unknown }[];
  messages: {
    role: string;
    content: string | ({ type: string; cache_control?: unknown } & Record<string, unknown>)[];
  }[];
}

export type Responder = (request: RecordedRequest, index: number) => ScriptedReply;
export type ScriptItem = ScriptedReply | Responder;

export interface FakeAnthropic {
  url: string;
  /** Every request received (count_tokens included), in order. */
  requests: RecordedRequest[];
  /** Only the POST /v1/messages requests. */
  messageRequests(): RecordedRequest[];
  /** Adds replies to the queue. */
  push(...items: ScriptItem[]): void;
  close(): Promise<void>;
  /** With `options.context`: the window and cache model, and what it saw. */
  context?: FakeContext;
}

export interface FakeAnthropicOptions {
  script?: ScriptItem[] | Responder;
  /** Model a context window and prompt caching (fake-anthropic-context.ts). */
  context?: FakeContextOptions;
}

function sse(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ type: 'error', error: { type, message } }));
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export async function startFakeAnthropic(
  options: FakeAnthropicOptions = {},
): Promise<FakeAnthropic> {
  const requests: RecordedRequest[] = [];
  const queue: ScriptItem[] = Array.isArray(options.script) ? [...options.script] : [];
  const responder = typeof options.script === 'function' ? options.script : undefined;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let messageCount = 0;
  const context = options.context ? new FakeContext(options.context) : undefined;

  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(Buffer.concat(chunks).toString('utf8'));
    });

    async function handle(text: string): Promise<void> {
      let body: MessagesBody;
      try {
        body = JSON.parse(text) as MessagesBody;
      } catch {
        sendError(res, 400, 'invalid_request_error', 'fake-anthropic: body is not JSON');
        return;
      }
      const path = (req.url ?? '').split('?')[0] ?? '';
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path,
        headers: req.headers,
        body,
      };
      requests.push(recorded);
      if (req.method === 'POST' && path === '/v1/messages/count_tokens') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ input_tokens: Math.ceil(text.length / 4) }));
        return;
      }
      if (req.method !== 'POST' || path !== '/v1/messages') {
        sendError(res, 404, 'not_found_error', `fake-anthropic: no route ${req.method} ${path}`);
        return;
      }
      const index = messageCount++;
      const item = responder ?? queue.shift();
      if (!item) {
        sendError(
          res,
          400,
          'invalid_request_error',
          `fake-anthropic: no scripted reply left for request ${index + 1}`,
        );
        return;
      }
      let reply = typeof item === 'function' ? item(recorded, index) : item;
      if (reply.delayMs) await wait(reply.delayMs);
      if (res.destroyed) return;
      const fault = reply.fault;
      if (fault?.type === 'status') {
        const headers: Record<string, string> = { ...fault.headers };
        if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
        if (fault.retryAfterMs !== undefined)
          headers['retry-after-ms'] = String(fault.retryAfterMs);
        sendError(
          res,
          fault.status,
          fault.errorType ?? ERROR_TYPES[fault.status] ?? 'api_error',
          fault.message ?? `fake-anthropic: scripted ${fault.status}`,
          headers,
        );
        return;
      }
      if (context) {
        const verdict = context.judge(body);
        if (verdict.tooLong) {
          sendError(res, 400, 'invalid_request_error', verdict.tooLong);
          return;
        }
        reply = { ...reply, usage: { ...reply.usage, ...verdict.usage } };
      }
      if (!body.stream) {
        res.writeHead(200, {
          'content-type': 'application/json',
          'request-id': `req_fake_${index + 1}`,
        });
        res.end(JSON.stringify(replyMessage(reply, body.model)));
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        'request-id': `req_fake_${index + 1}`,
      });
      const events = replyEvents(reply, body.model);
      for (let i = 0; i < events.length; i++) {
        if (fault?.type === 'disconnect' && i === fault.afterEvents) {
          res.socket?.destroy();
          return;
        }
        if (fault?.type === 'stall' && i === fault.afterEvents) return; // open, silent
        if (fault?.type === 'malformed' && i === fault.afterEvents) {
          res.write(
            'event: content_block_delta\ndata: {"type": "content_block_delta", "index": 0, "delta": {\n\n',
          );
          res.end();
          return;
        }
        if (fault?.type === 'error_event' && i === fault.afterEvents) {
          const type = fault.errorType ?? 'overloaded_error';
          sse(res, 'error', { type: 'error', error: { type, message: `fake-anthropic: ${type}` } });
          res.end();
          return;
        }
        const [event, data] = events[i] as [string, unknown];
        sse(res, event, data);
      }
      res.end();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    messageRequests: () => requests.filter((r) => r.path === '/v1/messages'),
    push: (...items) => {
      queue.push(...items);
    },
    ...(context ? { context } : {}),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
