import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { langFromAcceptLanguage, renderMessage, type Lang, type MessageCode, type MessageParams } from '../../../../libs/domain/src/messages.js';
import { DomainError } from './domain-error.js';
import { errorBody } from './error-body.js';
import { JSON_BODY_LIMIT_LABEL } from './http-hardening.js';

/** Maps domain codes to HTTP status and a message in the caller's language (Vietnamese by default). */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest();
    const res = ctx.getResponse();
    const lang = langFromAcceptLanguage(req.headers?.['accept-language']);
    if (res.headersSent) {
      // A streamed answer (a CSV export) failed after its status and first bytes went out: appending a JSON
      // error would corrupt it and setting a status would throw. Cut the connection so the client sees an
      // incomplete download, never a file that looks whole.
      this.log.error(`after the response started: ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`);
      res.destroy?.();
      return;
    }
    if (exception instanceof DomainError) {
      const body = errorBody(exception, lang);
      // A 429 says when to come back (the seconds are in the message too).
      if (body.statusCode === 429 && typeof exception.params.seconds === 'number') res.setHeader('Retry-After', String(exception.params.seconds));
      res.status(body.statusCode).json(body);
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status >= 500) this.log.error(exception.stack ?? exception.message);
      res.status(status).json(httpErrorBody(status, exception.message, lang));
      return;
    }
    this.log.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    res.status(500).json({ statusCode: 500, code: 'internal', message: renderMessage('internal', {}, lang) });
  }
}

/**
 * An HttpException raised by the framework rather than by our services (the body parser's 413 and malformed
 * JSON, the router's 404, a pipe's 400), labelled by its status with a message in the caller's language.
 */
export function httpErrorBody(status: number, detail: string, lang: Lang): { statusCode: number; code: string; message: string } {
  const by = (code: MessageCode, params: MessageParams = {}) => ({ statusCode: status, code, message: renderMessage(code, params, lang) });
  switch (status) {
    case 400:
      return by('invalid_field', { field: 'body', detail });
    case 401:
      return by('unauthenticated');
    case 403:
      return by('forbidden');
    case 404:
      return by('not_found');
    case 413:
      return by('payload_too_large', { limit: JSON_BODY_LIMIT_LABEL });
    case 415:
      return by('unsupported_media_type');
    default:
      return status >= 500 ? by('internal') : by('request_refused', { status });
  }
}
