import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { z } from 'zod';
import { SavedFilterRepository } from '../../../../libs/persistence/src/repositories/saved-filter.repository.js';
import { CurrentUser } from '../auth/decorators.js';
import type { AuthUser } from '../auth/jurisdiction.js';
import { DomainError } from '../common/domain-error.js';
import { parse } from '../common/parse.js';
import { InboxQuery } from '../tasks/tasks.schemas.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

/** A saved filter holds the inbox query as the user chose it: no paging, and no default sort filled in. */
const SavedFilterBody = z.object({
  name: z.string().trim().min(1).max(100),
  query: InboxQuery.omit({ limit: true, offset: true }).extend({ sort: z.enum(['due', 'opened']).optional() }),
});

/** Each user's inbox filters, kept on the server. Personal: any signed-in user, auditors included. */
@Controller('saved-filters')
export class SavedFiltersController {
  constructor(@Inject(SavedFilterRepository) private readonly filters: SavedFilterRepository) {}

  @Get()
  @ApiDoc({ en: 'The caller’s saved inbox filters', vi: 'Bộ lọc đã lưu của người dùng' })
  list(@CurrentUser() user: AuthUser) {
    return this.filters.list(user.id);
  }

  @Post()
  @ApiDoc({ en: 'Save an inbox filter', vi: 'Lưu bộ lọc', body: SavedFilterBody })
  async create(@CurrentUser() user: AuthUser, @Body() body: unknown) {
    const { name, query } = parse(SavedFilterBody, body);
    const saved = await this.filters.insert(user.id, name, query);
    if (!saved) throw new DomainError('saved_filter_exists', { name });
    return saved;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiDoc({ en: 'Delete one of the caller’s saved filters', vi: 'Xóa bộ lọc đã lưu' })
  async remove(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    // Someone else's filter, an unknown id and a malformed one all read as "not found".
    if (!z.uuid().safeParse(id).success || !(await this.filters.delete(user.id, id))) throw new DomainError('saved_filter_not_found');
  }
}
