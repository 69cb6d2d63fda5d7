import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { CurrentUser } from '../auth/decorators.js';
import type { AuthUser } from '../auth/jurisdiction.js';
import { uuid } from '../common/uuid.pipe.js';
import { contentDisposition } from './attachment-files.js';
import { DossierFormsService } from './dossier-forms.service.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

/** The dossier as the form catalogue (§3.1) and the organisation's forms as printable PDF. */
@Controller('candidates')
export class DossierFormsController {
  constructor(@Inject(DossierFormsService) private readonly forms: DossierFormsService) {}

  /** Every form of the catalogue: present / missing / not_applicable, with its scans and generated document. */
  @Get(':id/dossier-forms')
  @ApiDoc({ en: 'Every form of the dossier: present, missing or not applicable, with scans and generated documents', vi: 'Các biểu mẫu của hồ sơ: đã có, còn thiếu, không áp dụng; kèm bản quét và bản in' })
  catalogue(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.forms.catalogue(user, id);
  }

  /** `6-KNĐ.pdf` (or `6-KND.pdf`): 404 `form_decision_not_recorded` until the decisions it is printed from are recorded. */
  @Get(':id/forms/:code.pdf')
  @ApiDoc({ en: 'A form of the dossier printed from the recorded decisions (e.g. 6-KNĐ.pdf)', vi: 'In biểu mẫu từ các quyết định đã ghi (vd. 6-KNĐ.pdf)', produces: ['application/pdf'] })
  async pdf(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Param('code') code: string, @Res() res: any) {
    const { code: form, pdf } = await this.forms.pdf(user, id, code);
    res.status(200);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Length', String(pdf.length));
    res.setHeader('Content-Disposition', contentDisposition(`mau-${form.replace('Đ', 'D')}-${id.slice(0, 8)}.pdf`));
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(pdf);
  }
}
