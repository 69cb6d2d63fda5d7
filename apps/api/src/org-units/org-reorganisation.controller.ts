import { Body, Controller, Headers, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { langFromAcceptLanguage } from '../../../../libs/domain/src/messages.js';
import { OrgReorganisationRepository } from '../../../../libs/persistence/src/repositories/org-reorganisation.repository.js';
import { clientInfo } from '../auth/client-info.js';
import { CurrentUser } from '../auth/decorators.js';
import { isAdmin, type AuthUser } from '../auth/jurisdiction.js';
import { DomainError } from '../common/domain-error.js';
import { parse } from '../common/parse.js';
import { uuid } from '../common/uuid.pipe.js';
import { OrgReorganisationService } from './org-reorganisation.service.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

const RenameBody = z.object({ name: z.string().trim().min(1).max(300) });
/** `parentId: null` moves a unit to the top (a province, or a superior without one). */
const MoveBody = z.object({ parentId: z.uuid().nullable() });
const MergeBody = z.object({ intoId: z.uuid() });
/** `childrenTo`: the unit that takes the dissolved unit's children; null or absent only for a unit without any. */
const DissolveBody = z.object({ childrenTo: z.uuid().nullable().optional() });
/** Whether a grassroots committee is authorised to admit (it then decides admission and recognition itself). */
const AuthorityBody = z.object({ authorisedToAdmit: z.boolean() });

/**
 * Reorganisation of the org tree (issue 16), administrators only: rename (200, the unit), move, merge and
 * dissolve (202, the job that moves the active cases; GET /api/jobs/:jobId follows it).
 */
@Controller('org-units')
export class OrgReorganisationController {
  constructor(@Inject(OrgReorganisationService) private readonly service: OrgReorganisationService) {}

  @Post(':id/rename')
  @HttpCode(200)
  @ApiDoc({ en: 'Rename a unit (administrators)', vi: 'Đổi tên đơn vị (quản trị)', body: RenameBody })
  rename(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: unknown, @Req() req: any) {
    if (!isAdmin(user)) throw new DomainError('forbidden');
    return this.service.rename(user, id, parse(RenameBody, body).name, clientInfo(req));
  }

  @Post(':id/move')
  @HttpCode(202)
  @ApiDoc({ en: 'Move a unit under another parent; 202 with the job that re-routes its cases', vi: 'Chuyển đơn vị sang cấp trên khác; 202 kèm tác vụ cập nhật hồ sơ', body: MoveBody, idempotent: true })
  move(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: unknown, @Headers() headers: Record<string, string>, @Req() req: any) {
    if (!isAdmin(user)) throw new DomainError('forbidden');
    const { parentId } = parse(MoveBody, body);
    return this.service.move(user, id, parentId, langFromAcceptLanguage(headers['accept-language']), clientInfo(req), headers['idempotency-key']);
  }

  @Post(':id/merge')
  @HttpCode(202)
  @ApiDoc({ en: 'Merge a unit into another; 202 with the job that hands its cases over', vi: 'Hợp nhất đơn vị vào đơn vị khác; 202 kèm tác vụ bàn giao hồ sơ', body: MergeBody, idempotent: true })
  merge(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: unknown, @Headers() headers: Record<string, string>, @Req() req: any) {
    if (!isAdmin(user)) throw new DomainError('forbidden');
    const { intoId } = parse(MergeBody, body);
    return this.service.merge(user, id, intoId, langFromAcceptLanguage(headers['accept-language']), clientInfo(req), headers['idempotency-key']);
  }

  @Post(':id/dissolve')
  @HttpCode(202)
  @ApiDoc({ en: 'Dissolve a unit; 202 with the job that hands its cases to its successor', vi: 'Giải thể đơn vị; 202 kèm tác vụ bàn giao hồ sơ cho đơn vị kế thừa', body: DissolveBody, idempotent: true })
  dissolve(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: unknown, @Headers() headers: Record<string, string>, @Req() req: any) {
    if (!isAdmin(user)) throw new DomainError('forbidden');
    const { childrenTo } = parse(DissolveBody, body);
    return this.service.dissolve(user, id, childrenTo ?? null, langFromAcceptLanguage(headers['accept-language']), clientInfo(req), headers['idempotency-key']);
  }

  /** 202 with the job that gives its active cases the new routing (see OrgReorganisationService.authorise). */
  @Post(':id/admission-authority')
  @HttpCode(202)
  @ApiDoc({ en: 'Authorise a grassroots committee to admit (or withdraw it); 202 with the job that re-routes its cases', vi: 'Ủy quyền (hoặc thôi ủy quyền) kết nạp cho đảng ủy cơ sở; 202 kèm tác vụ cập nhật hồ sơ', body: AuthorityBody, idempotent: true })
  admissionAuthority(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: unknown, @Headers() headers: Record<string, string>, @Req() req: any) {
    if (!isAdmin(user)) throw new DomainError('forbidden');
    const { authorisedToAdmit } = parse(AuthorityBody, body);
    return this.service.authorise(user, id, authorisedToAdmit, langFromAcceptLanguage(headers['accept-language']), clientInfo(req), headers['idempotency-key']);
  }
}

export const REORGANISATION_CONTROLLERS = [OrgReorganisationController];
export const REORGANISATION_PROVIDERS: Provider[] = [
  { provide: OrgReorganisationRepository, useFactory: (ds: DataSource) => new OrgReorganisationRepository(ds), inject: [DataSource] },
  OrgReorganisationService,
];
