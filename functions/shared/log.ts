/**
 * Structured logs: one JSON object per line on stdout, which Lambda ships to CloudWatch Logs.
 *
 * Secrets are kept out by construction: the functions never hand a token to the logger (tokens are
 * held as Secret objects, which print as `[secret]`, and never go into an error message). This
 * module adds a last line of defence that is not relied on: any field whose name says it holds a
 * credential, and any string shaped like a `hv?.` Vault token, is replaced before the line is written.
 */

import type { LogLevel } from './settings/common';

export type { LogLevel };
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// Field names that hold credentials: `token`, `client_token`, `activationToken`, `X-Vault-Token`,
// `iam_request_headers`, ... but not `tokenExpiresAt`.
const SECRET_FIELD = /(?:^|[_-])(?:token|secret|password|authorization|signature|credentials?)$|(?:Token|Secret|Password|Credentials?)$|secret_?string$|^iam_request_/i;
// Vault's service (hvs.), batch (hvb.) and recovery (hvr.) tokens, and the legacy s./b. forms.
const VAULT_TOKEN = /\b(?:hv[sbr]\.[A-Za-z0-9_-]{10,}|[sb]\.[A-Za-z0-9]{20,})/g;

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(VAULT_TOKEN, '[redacted]');
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) return { name: value.name, message: redact(value.message) };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_FIELD.test(key) && v !== undefined && typeof v !== 'boolean' ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger for one invocation; `context` (function, operation, request id) is added to every line. */
export function createLogger(context: Record<string, unknown>, level: LogLevel = 'info'): Logger {
  const write = (at: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (LEVELS[at] < LEVELS[level]) return;
    const line = { time: new Date().toISOString(), level: at, message, ...context, ...fields };
    process.stdout.write(`${JSON.stringify(redact(line))}\n`);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
