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


/** Training classes: the centre opens them, grassroots committees propose, the centre enrols and certifies. */
@Controller('training-classes')
export class TrainingClassesController {
  constructor(
    @Inject(TrainingService) private readonly training: TrainingService,
    @Inject(IdempotencyService) private readonly idem: IdempotencyService,
  ) {}

  @Post()
  create(@CurrentUser() user: AuthUser, @Body() body: unknown) {
    return this.training.create(user, parse(CreateClass, body));
  }

  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    return this.training.list(user, parse(ListClassesQuery, query).kind);
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.training.get(user, id);
  }

  /** Candidates the caller may still propose for this class. */
  @Get(':id/eligible')
  eligible(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.training.eligible(user, id);
  }

  @Post(':id/proposals')
  @HttpCode(200)
  propose(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: unknown) {
    return this.training.propose(user, id, parse(ProposeBody, body).candidateIds);
  }

  /** Confirms (or declines) proposed candidates. */
  @Post(':id/enrolments')
  @HttpCode(200)
  enrol(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: unknown) {
    const b = parse(EnrolmentBody, body);
    return this.training.setEnrolment(user, id, b.candidateIds, b.status);
  }

  @Post(':id/attendance')
  @HttpCode(200)
  attendance(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: unknown) {
    return this.training.attendance(user, id, parse(AttendanceBody, body).records);
  }

  /**
   * Issues the certificates of the whole class; 202 with the job that sends each result to the candidate's
   * workflow (GET /api/jobs/:jobId: progress, then each participant's line).
   */
  @Post(':id/certify')
  @RateLimit('class_certify')
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
  get(@CurrentUser() user: AuthUser, @Param('number') number: string, @Query() query: unknown) {
    return this.training.certificate(user, number, parse(CertificateQuery, query).centreId);
  }
}
