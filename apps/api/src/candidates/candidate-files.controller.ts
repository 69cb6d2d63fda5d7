import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { z } from 'zod';
import { CurrentUser } from '../auth/decorators.js';
import type { AuthUser } from '../auth/jurisdiction.js';
import { DomainError } from '../common/domain-error.js';
import { paging, parse } from '../common/parse.js';
import { BodyTooLarge, readRawBody } from '../common/raw-body.js';
import { acceptedType, ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES, contentDisposition } from './attachment-files.js';
import { CandidateFilesService } from './candidate-files.service.js';
import { uuid } from '../common/uuid.pipe.js';
import { formCodeOf } from '../../../../libs/domain/src/dossier-forms.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

const CommentBody = z.object({ body: z.string().trim().min(1).max(5000) });
const CommentsQuery = z.object(paging(100, 500));
const UploadQuery = z.object({
  filename: z.string().min(1).max(1000),
  kind: z.string().trim().min(1).max(50).optional(),
  /** The catalogue form the scan is (§3.1: `1-KNĐ`, `CN-NTVĐ`…; "6-KND" is read as 6-KNĐ); else taken from `kind` when it names one. */
  formCode: z.string().trim().max(20).refine((s) => formCodeOf(s) !== undefined, { message: 'not a form of the catalogue (CN-NTVĐ, 1-KNĐ … 16-KNĐ, 4A-KNĐ, 20-KNĐ)' }).optional(),
});

/** Comments and scanned forms on a candidate's dossier. */
@Controller('candidates')
export class CandidateFilesController {
  constructor(@Inject(CandidateFilesService) private readonly files: CandidateFilesService) {}

  /** Oldest first, paged: `{items, total}`. */
  @Get(':id/comments')
  @ApiDoc({ en: 'Comments on a candidate’s dossier, oldest first, paged', vi: 'Ý kiến trên hồ sơ, cũ trước, theo trang', query: CommentsQuery })
  comments(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Query() query: unknown) {
    return this.files.comments(user, id, parse(CommentsQuery, query));
  }

  @Post(':id/comments')
  @ApiDoc({ en: 'Add a comment to a candidate’s dossier', vi: 'Thêm ý kiến vào hồ sơ', body: CommentBody })
  addComment(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: unknown) {
    return this.files.addComment(user, id, parse(CommentBody, body).body);
  }

  @Get(':id/attachments')
  @ApiDoc({ en: 'The scanned documents of a candidate’s dossier', vi: 'Các bản quét trong hồ sơ' })
  attachments(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.files.attachments(user, id);
  }

  /**
   * The raw file is the request body (PDF, JPEG or PNG; the JSON body parser leaves these types alone). The
   * declared type and the size are checked before the bytes are kept, the magic bytes after.
   */
  @Post(':id/attachments')
  @ApiDoc({ en: 'Upload a scanned document (the raw file is the body: PDF, JPEG or PNG)', vi: 'Tải lên bản quét (nội dung tệp là thân yêu cầu: PDF, JPEG hoặc PNG)', query: UploadQuery, rawBody: ATTACHMENT_TYPES })
  async upload(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Query() query: unknown, @Req() req: any) {
    const q = parse(UploadQuery, query);
    await this.files.mayUpload(user, id);
    const type = acceptedType(req.headers['content-type']);
    if (!type) throw new DomainError('attachment_type_not_allowed', { contentType: String(req.headers['content-type'] ?? '—'), allowed: ATTACHMENT_TYPES.join(', ') });
    let content: Buffer;
    try {
      content = await readRawBody(req, ATTACHMENT_MAX_BYTES);
    } catch (e) {
      if (e instanceof BodyTooLarge) throw new DomainError('attachment_too_large', { limitMb: e.limit / (1024 * 1024) });
      throw e;
    }
    return this.files.addAttachment(user, id, { type, filename: q.filename, kind: q.kind, formCode: formCodeOf(q.formCode) ?? formCodeOf(q.kind), content });
  }

  /** The stored bytes as a download that browsers never render or run in the app's origin. */
  @Get(':id/attachments/:attachmentId')
  @ApiDoc({ en: 'Download a scanned document', vi: 'Tải về bản quét', produces: ATTACHMENT_TYPES })
  async download(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Param('attachmentId', uuid) attachmentId: string, @Res() res: any) {
    const a = await this.files.attachment(user, id, attachmentId);
    res.status(200);
    res.setHeader('Content-Type', a.contentType);
    res.setHeader('Content-Length', String(a.content.length));
    res.setHeader('Content-Disposition', contentDisposition(a.filename));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', 'sandbox');
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(a.content);
  }
}
