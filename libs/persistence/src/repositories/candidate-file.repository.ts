import type { DataSource } from 'typeorm';

export interface CommentRow {
  id: string;
  body: string;
  author: { userId: string; fullName: string };
  createdAt: string;
}

export interface AttachmentRow {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  kind: string | null;
  /** The catalogue form the scan is (§3.1), e.g. `6-KNĐ`; null for other papers. */
  formCode: string | null;
  uploadedBy: { userId: string; fullName: string };
  createdAt: string;
}

export interface NewAttachment {
  candidateId: string;
  filename: string;
  contentType: string;
  kind: string | null;
  formCode?: string | null;
  sha256: string;
  content: Buffer;
  uploadedBy: string;
}

const COMMENT_COLS = `cm.id, cm.body, json_build_object('userId', u.id, 'fullName', u.full_name) AS author, cm.created_at AS "createdAt"`;
const ATTACHMENT_COLS = `a.id, a.filename, a.content_type AS "contentType", a.size, a.sha256, a.kind, a.form_code AS "formCode",
  json_build_object('userId', u.id, 'fullName', u.full_name) AS "uploadedBy", a.created_at AS "createdAt"`;

/** What approvers add to a candidate's dossier beside the workflow: comments and scanned forms. */
export class CandidateFileRepository {
  constructor(private readonly ds: DataSource) {}

  async comments(candidateId: string, page: { limit: number; offset: number }): Promise<{ items: CommentRow[]; total: number }> {
    const [items, [{ total }]] = await Promise.all([
      this.ds.query(
        `SELECT ${COMMENT_COLS} FROM candidate_comments cm JOIN users u ON u.id = cm.author_id
          WHERE cm.candidate_id = $1 ORDER BY cm.created_at, cm.id LIMIT $2 OFFSET $3`,
        [candidateId, page.limit, page.offset],
      ),
      this.ds.query(`SELECT count(*)::int AS total FROM candidate_comments WHERE candidate_id = $1`, [candidateId]),
    ]);
    return { items, total };
  }

  async addComment(candidateId: string, authorId: string, body: string): Promise<CommentRow> {
    const rows = await this.ds.query(
      `WITH cm AS (INSERT INTO candidate_comments (candidate_id, author_id, body) VALUES ($1,$2,$3) RETURNING *)
       SELECT ${COMMENT_COLS} FROM cm JOIN users u ON u.id = cm.author_id`,
      [candidateId, authorId, body],
    );
    return rows[0];
  }

  /** The attachments' descriptions, oldest first (never the bytes). */
  async attachments(candidateId: string): Promise<AttachmentRow[]> {
    return this.ds.query(
      `SELECT ${ATTACHMENT_COLS} FROM candidate_attachments a JOIN users u ON u.id = a.uploaded_by
        WHERE a.candidate_id = $1 ORDER BY a.created_at, a.id`,
      [candidateId],
    );
  }

  async addAttachment(n: NewAttachment): Promise<AttachmentRow> {
    const rows = await this.ds.query(
      `WITH a AS (
         INSERT INTO candidate_attachments (candidate_id, filename, content_type, kind, size, sha256, content, uploaded_by, form_code)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING *)
       SELECT ${ATTACHMENT_COLS} FROM a JOIN users u ON u.id = a.uploaded_by`,
      [n.candidateId, n.filename, n.contentType, n.kind, n.content.length, n.sha256, n.content, n.uploadedBy, n.formCode ?? null],
    );
    return rows[0];
  }

  /** One attachment of the candidate with its bytes; undefined when it is not this candidate's. */
  async attachmentContent(candidateId: string, id: string): Promise<(AttachmentRow & { content: Buffer }) | undefined> {
    const rows = await this.ds.query(
      `SELECT ${ATTACHMENT_COLS}, a.content FROM candidate_attachments a JOIN users u ON u.id = a.uploaded_by
        WHERE a.candidate_id = $1 AND a.id = $2`,
      [candidateId, id],
    );
    return rows[0];
  }
}
