import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { langFromAcceptLanguage, renderMessage } from '../../../../libs/domain/src/messages.js';
import { DomainError } from './domain-error.js';
import { errorBody } from './error-body.js';

/** Maps domain codes to HTTP status and a message in the caller's language (Vietnamese by default). */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest();
    const res = ctx.getResponse();
    const lang = langFromAcceptLanguage(req.headers?.['accept-language']);
    if (exception instanceof DomainError) {
      const body = errorBody(exception, lang);
      res.status(body.statusCode).json(body);
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = status === 404 ? 'not_found' : status === 400 ? 'invalid_field' : 'internal';
      const detail = exception.message;
      const message = code === 'invalid_field' ? renderMessage('invalid_field', { field: 'body', detail }, lang) : renderMessage(code, {}, lang);
      res.status(status).json({ statusCode: status, code, message });
      return;
    }
    this.log.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    res.status(500).json({ statusCode: 500, code: 'internal', message: renderMessage('internal', {}, lang) });
  }
}
