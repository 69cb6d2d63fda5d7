import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { langFromAcceptLanguage } from '../../../../libs/domain/src/messages.js';
import { CurrentUser } from '../auth/decorators.js';
import type { AuthUser } from '../auth/jurisdiction.js';
import { IdempotencyService } from '../common/idempotency.service.js';
import { parse } from '../common/parse.js';
import { AttendanceBody, CertificateQuery, CertifyBody, CreateClass, EnrolmentBody, ListClassesQuery, ProposeBody } from './training.schemas.js';
import { TrainingService } from './training.service.js';
import { RateLimit } from '../common/rate-limit.js';
import { uuid } from '../common/uuid.pipe.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';


/** Training classes: the centre opens them, grassroots committees propose, the centre enrols and certifies. */
@Controller('training-classes')
export class TrainingClassesController {
  constructor(
    @Inject(TrainingService) private readonly training: TrainingService,
    @Inject(IdempotencyService) private readonly idem: IdempotencyService,
  ) {}

  @Post()
  @ApiDoc({ en: 'Create a training class', vi: 'Tạo lớp bồi dưỡng', body: CreateClass })
  create(@CurrentUser() user: AuthUser, @Body() body: unknown) {
    return this.training.create(user, parse(CreateClass, body));
  }

  @Get()
  @ApiDoc({ en: 'The training classes the caller sees', vi: 'Các lớp bồi dưỡng người dùng được xem', query: ListClassesQuery })
  list(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    return this.training.list(user, parse(ListClassesQuery, query).kind);
  }

  @Get(':id')
  @ApiDoc({ en: 'A training class with the enrolments the caller sees', vi: 'Một lớp bồi dưỡng và các học viên người dùng được xem' })
  get(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.training.get(user, id);
  }

  /** Candidates the caller may still propose for this class. */
  @Get(':id/eligible')
  @ApiDoc({ en: 'Candidates the caller may still propose for a class', vi: 'Quần chúng còn có thể đề nghị vào lớp' })
  eligible(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.training.eligible(user, id);
  }

  @Post(':id/proposals')
  @HttpCode(200)
  @ApiDoc({ en: 'Propose candidates for a class', vi: 'Đề nghị quần chúng vào lớp', body: ProposeBody })
  propose(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: unknown) {
    return this.training.propose(user, id, parse(ProposeBody, body).candidateIds);
  }

  /** Confirms (or declines) proposed candidates. */
  @Post(':id/enrolments')
  @HttpCode(200)
  @ApiDoc({ en: 'Confirm or decline proposed candidates', vi: 'Xác nhận hoặc từ chối học viên được đề nghị', body: EnrolmentBody })
  enrol(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: unknown) {
    const b = parse(EnrolmentBody, body);
    return this.training.setEnrolment(user, id, b.candidateIds, b.status);
  }

  @Post(':id/attendance')
  @HttpCode(200)
  @ApiDoc({ en: 'Record attendance and results', vi: 'Ghi điểm danh và kết quả', body: AttendanceBody })
  attendance(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: unknown) {
    return this.training.attendance(user, id, parse(AttendanceBody, body).records);
  }

  /**
   * Issues the certificates of the whole class; 202 with the job that sends each result to the candidate's
   * workflow (GET /api/jobs/:jobId: progress, then each participant's line).
   */
  @Post(':id/certify')
  @RateLimit('class_certify')
  @ApiDoc({ en: 'Issue the class’s certificates; 202 with the job that sends each result to its case', vi: 'Cấp giấy chứng nhận của lớp; 202 kèm tác vụ gửi kết quả vào từng hồ sơ', body: CertifyBody, idempotent: true, status: 202 })
  async certify(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: unknown, @Headers() headers: Record<string, string>, @Res({ passthrough: true }) res: any) {
    const dto = parse(CertifyBody, body);
    const lang = langFromAcceptLanguage(headers['accept-language']);
    const key = headers['idempotency-key'];
    const answer = await this.idem.run(user.id, key, IdempotencyService.hash(['POST /training-classes/certify', id, dto]), lang, async () => ({
      statusCode: 202,
      body: await this.training.certify(user, id, dto, lang, key),
    }), { rerunAfterSeconds: IdempotencyService.RERUN_AFTER_SECONDS });
    res.status(answer.statusCode);
    return answer.body;
  }
}

@Controller('certificates')
export class CertificatesController {
  constructor(@Inject(TrainingService) private readonly training: TrainingService) {}

  /** A certificate by its number ("123/CN-2026", URL-encoded): holder, class, issue date, validity. */
  @Get(':number')
  @ApiDoc({ en: 'A certificate by its number: holder, class, issue date, validity', vi: 'Tra cứu giấy chứng nhận theo số: người được cấp, lớp, ngày cấp, hiệu lực', query: CertificateQuery })
  get(@CurrentUser() user: AuthUser, @Param('number') number: string, @Query() query: unknown) {
    return this.training.certificate(user, number, parse(CertificateQuery, query).centreId);
  }
}
