import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditRepository } from '../../../../libs/persistence/src/repositories/audit.repository.js';
import { CandidateFileRepository } from '../../../../libs/persistence/src/repositories/candidate-file.repository.js';
import type { AuthUser } from '../auth/jurisdiction.js';
import { DomainError } from '../common/domain-error.js';
import { contentMatches, sanitiseFilename, type AttachmentType } from './attachment-files.js';
import { CandidatesService } from './candidates.service.js';

/**
 * Comments and scanned forms on a candidate: read by whoever reads the dossier (not a training centre), added
 * by all of them but auditors (and scans by the training centre too). Every read is logged as a personal-data read.
 */
@Injectable()
export class CandidateFilesService {
  constructor(
    @Inject(CandidatesService) private readonly candidates: CandidatesService,
    @Inject(CandidateFileRepository) private readonly files: CandidateFileRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
  ) {}

  async comments(user: AuthUser, candidateId: string, page: { limit: number; offset: number }) {
    await this.candidates.dossier(user, candidateId);
    await this.audit.logPiiRead(user.id, candidateId, 'comments');
    return this.files.comments(candidateId, page);
  }

  async addComment(user: AuthUser, candidateId: string, body: string) {
    await this.candidates.contributor(user, candidateId);
    return this.files.addComment(candidateId, user.id, body);
  }

  async attachments(user: AuthUser, candidateId: string) {
    await this.candidates.dossier(user, candidateId);
    await this.audit.logPiiRead(user.id, candidateId, 'attachments');
    return this.files.attachments(candidateId);
  }

  /**
   * Checked before the body is read, so nobody outside the case gets to send bytes. The training centre may
   * add the scan of a certificate it issued (write-only: it still reads no attachment).
   */
  async mayUpload(user: AuthUser, candidateId: string) {
    const c = await this.candidates.visible(user, candidateId);
    if (c.access === 'training_centre') return c;
    return this.candidates.contributor(user, candidateId);
  }

  async addAttachment(user: AuthUser, candidateId: string, upload: { type: AttachmentType; filename: string; kind?: string; formCode?: string; content: Buffer }) {
    if (upload.content.length === 0) throw new DomainError('attachment_empty');
    if (!contentMatches(upload.type, upload.content)) throw new DomainError('attachment_content_mismatch', { contentType: upload.type });
    return this.files.addAttachment({
      candidateId,
      filename: sanitiseFilename(upload.filename, upload.type),
      contentType: upload.type,
      kind: upload.kind ?? null,
      formCode: upload.formCode ?? null,
      sha256: createHash('sha256').update(upload.content).digest('hex'),
      content: upload.content,
      uploadedBy: user.id,
    });
  }

  /** A scanned form is personal data: every download is logged, naming the attachment. */
  async attachment(user: AuthUser, candidateId: string, attachmentId: string) {
    await this.candidates.dossier(user, candidateId);
    const a = await this.files.attachmentContent(candidateId, attachmentId);
    if (!a) throw new DomainError('attachment_not_found');
    await this.audit.logPiiRead(user.id, candidateId, `attachment:${attachmentId}`);
    return a;
  }
}
