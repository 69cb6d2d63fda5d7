import { ConsoleLogger, type LoggerService, type LogLevel } from '@nestjs/common';
import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import { currentRequest, logFields } from './request-context.js';

/** Nest's levels mapped to pino's. */
const PINO_LEVEL: Record<LogLevel, 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/**
 * The API's logger with KETNAP_LOG_FORMAT=json: one JSON object per line (pino), with the time, the level,
 * the Nest context (`context`), the message, and the fields of the request being served (requestId, userId,
 * candidateId, workflowId, idempotencyKey). An object message is merged as fields (the access log's).
 */
export class JsonLogger implements LoggerService {
  private readonly pino: Pino;
  private levels: Set<LogLevel>;

  constructor(levels: LogLevel[], destination?: DestinationStream, service = 'ketnap-api') {
    this.levels = new Set(levels);
    this.pino = pino(
      {
        level: 'trace',
        base: { service, pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        mixin: () => logFields(currentRequest()),
      },
      destination ?? pino.destination(1),
    );
  }

  setLogLevels(levels: LogLevel[]): void {
    this.levels = new Set(levels);
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    // Nest calls error(message, stack?, context?).
    const [stack, context] = rest.length >= 2 ? rest : typeof rest[0] === 'string' && rest[0].includes('\n') ? [rest[0], undefined] : [undefined, rest[0]];
    this.write('error', message, context === undefined ? [] : [context], typeof stack === 'string' ? { stack } : {});
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: LogLevel, message: unknown, rest: unknown[], extra: Record<string, unknown> = {}): void {
    if (!this.levels.has(level)) return;
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const fields: Record<string, unknown> = { ...extra, ...(context ? { context } : {}) };
    if (message instanceof Error) {
      this.pino[PINO_LEVEL[level]]({ ...fields, err: { message: message.message, stack: message.stack } }, message.message);
    } else if (message && typeof message === 'object') {
      const { msg, ...rest } = message as Record<string, unknown>;
      this.pino[PINO_LEVEL[level]]({ ...fields, ...rest }, typeof msg === 'string' ? msg : undefined);
    } else {
      this.pino[PINO_LEVEL[level]](fields, String(message));
    }
  }
}

/** KETNAP_LOG_FORMAT: `json` (pino lines) or `text` (Nest's console lines, the request id appended). */
export function createLogger(format: 'json' | 'text', levels: LogLevel[], destination?: DestinationStream): LoggerService {
  if (format === 'json') return new JsonLogger(levels, destination);
  return new TextLogger(levels);
}

/** Nest's console logger, with the request id in the context column when there is one. */
class TextLogger extends ConsoleLogger {
  constructor(levels: LogLevel[]) {
    super({ logLevels: levels });
  }

  protected formatContext(context: string): string {
    const id = currentRequest()?.requestId;
    return super.formatContext(id ? `${context}${context ? ' ' : ''}req=${id}` : context);
  }

  protected stringifyMessage(message: unknown, logLevel: LogLevel): string {
    if (message && typeof message === 'object' && !(message instanceof Error) && 'msg' in message) {
      const { msg, ...rest } = message as Record<string, unknown>;
      return super.stringifyMessage(`${String(msg)} ${JSON.stringify(rest)}`, logLevel);
    }
    return super.stringifyMessage(message, logLevel);
  }
}
