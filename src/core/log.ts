import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringifyRedacted } from './secrets/redact.js';

/**
 * The one logger of the engine. Core never writes to the terminal (Ink owns it);
 * it logs here. Lines go to the file named by MMM_LOG_FILE, or to the file set with
 * `setLogFile` (the run directory's `debug.log`); otherwise they are dropped.
 */
let logFile: string | undefined = process.env.MMM_LOG_FILE || undefined;
let debugEnabled = process.env.MMM_DEBUG === '1' || process.env.MMM_DEBUG === 'true';

export function setLogFile(path: string | undefined): void {
  logFile = path;
}

export function setDebug(enabled: boolean): void {
  debugEnabled = enabled;
}

export function isDebug(): boolean {
  return debugEnabled;
}

function write(level: string, scope: string, message: string, data?: unknown): void {
  if (!logFile) return;
  // Secret values never reach the log file (see secrets/redact.ts).
  const line =
    stringifyRedacted({
      t: new Date().toISOString(),
      level,
      scope,
      message,
      ...(data === undefined ? {} : { data }),
    }) + '\n';
  try {
    mkdirSync(dirname(logFile), { recursive: true });
    appendFileSync(logFile, line);
  } catch {
    // Logging must never break the run.
  }
}

export interface Logger {
  debug(message: string, data?: unknown): void;
  info(message: string, data?: unknown): void;
  warn(message: string, data?: unknown): void;
  error(message: string, data?: unknown): void;
}

export function logger(scope: string): Logger {
  return {
    debug: (m, d) => {
      if (debugEnabled) write('debug', scope, m, d);
    },
    info: (m, d) => write('info', scope, m, d),
    warn: (m, d) => write('warn', scope, m, d),
    error: (m, d) => write('error', scope, m, d),
  };
}
