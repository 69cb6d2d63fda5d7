import { Controller, Get, Headers, HttpCode, Inject, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { z } from 'zod';
import { IMPORT_COLUMNS, importTemplateCsv } from '../../../../libs/domain/src/candidate-import.js';
import { langFromAcceptLanguage } from '../../../../libs/domain/src/messages.js';
import { CurrentUser } from '../auth/decorators.js';
import type { AuthUser } from '../auth/jurisdiction.js';
import { DomainError } from '../common/domain-error.js';
import { IdempotencyService } from '../common/idempotency.service.js';
import { parse } from '../common/parse.js';
import { toXlsx } from '../reports/table-export.js';
import { BodyTooLarge, readRawBody } from '../common/raw-body.js';
import { CandidateImportService, IMPORT_MAX_BYTES } from './candidate-import.service.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

const ImportQuery = z.object({ orgUnitId: z.uuid(), filename: z.string().trim().min(1).max(255) });
/** The file is the raw request body: CSV (UTF-8, a BOM tolerated) or XLSX (its first sheet). */
const ACCEPTED = ['text/csv', 'text/plain', 'application/octet-stream', 'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];

/**
 * Cases already under way on day one (issue 16): the template, a preview of a file (nothing written) and the
 * import itself, a durable job followed at GET /api/jobs/:id.
 */
@Controller('candidate-imports')
export class CandidateImportController {
  constructor(
    @Inject(CandidateImportService) private readonly imports: CandidateImportService,
    @Inject(IdempotencyService) private readonly idem: IdempotencyService,
  ) {}

  /** The CSV template: the header line (Vietnamese label and key of each column), UTF-8 with BOM. */
  @Get('template.csv')
  @ApiDoc({ en: 'The import template as CSV', vi: 'Mẫu nhập hồ sơ, tệp CSV', produces: ['text/csv'] })
  template() {
    return new StreamableFile(Buffer.from(importTemplateCsv(), 'utf8'), { type: 'text/csv; charset=utf-8', disposition: 'attachment; filename="mau-nhap-ho-so.csv"' });
  }

  /** The same template as an XLSX workbook (one sheet, the header row), for those who fill it in Excel. */
  @Get('template.xlsx')
  @ApiDoc({ en: 'The import template as an XLSX workbook', vi: 'Mẫu nhập hồ sơ, tệp Excel', produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] })
  templateXlsx() {
    const columns = IMPORT_COLUMNS.map((c) => ({ key: c.key, vi: `${c.vi} [${c.key}]`, en: `${c.en} [${c.key}]` }));
    return new StreamableFile(toXlsx([{ sheet: 'Nhap ho so', columns, rows: [] }], 'vi'), {
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      disposition: 'attachment; filename="mau-nhap-ho-so.xlsx"',
    });
  }

  /** Every row checked as the import would check it, with its errors (Vietnamese and English); nothing is written. */
  @Post('preview')
  @HttpCode(200)
  @ApiDoc({ en: 'Check every row of an import file as the import would; nothing is written', vi: 'Kiểm tra từng dòng của tệp nhập như khi nhập thật; không ghi gì', query: ImportQuery, rawBody: ACCEPTED })
  async preview(@CurrentUser() user: AuthUser, @Query() query: unknown, @Req() req: any) {
    const q = parse(ImportQuery, query);
    await this.imports.unit(user, q.orgUnitId);
    return this.imports.preview(user, q, await this.body(req));
  }

  /** 202 with the job that starts each row's case; 422 `import_has_errors` when any row has an error (nothing written). */
  @Post()
  @ApiDoc({ en: 'Import cases under way from a file; 202 with the job that starts each row’s case', vi: 'Nhập các hồ sơ đang xử lý từ tệp; 202 kèm tác vụ lập từng hồ sơ', query: ImportQuery, rawBody: ACCEPTED, idempotent: true, status: 202 })
  async start(@CurrentUser() user: AuthUser, @Query() query: unknown, @Req() req: any, @Headers() headers: Record<string, string>, @Res({ passthrough: true }) res: any) {
    const q = parse(ImportQuery, query);
    await this.imports.unit(user, q.orgUnitId);
    const content = await this.body(req);
    const lang = langFromAcceptLanguage(headers['accept-language']);
    const key = headers['idempotency-key'];
    const answer = await this.idem.run(user.id, key, IdempotencyService.hash(['POST /candidate-imports', q, content.toString('base64')]), lang, async () => ({
      statusCode: 202,
      body: await this.imports.start(user, q, content, lang, key),
    }), { rerunAfterSeconds: IdempotencyService.RERUN_AFTER_SECONDS });
    res.status(answer.statusCode);
    return answer.body;
  }

  private async body(req: any): Promise<Buffer> {
    const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!ACCEPTED.includes(type)) throw new DomainError('unsupported_media_type');
    try {
      return await readRawBody(req, IMPORT_MAX_BYTES);
    } catch (e) {
      if (e instanceof BodyTooLarge) throw new DomainError('payload_too_large', { limit: `${e.limit / (1024 * 1024)} MB` });
      throw e;
    }
  }
}
