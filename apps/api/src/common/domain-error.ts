import type { Violation } from '../../../../libs/domain/src/decisions.js';
import type { MessageCode, MessageParams } from '../../../../libs/domain/src/messages.js';

/** A refusal with a code; the exception filter picks the HTTP status and renders the message. */
export class DomainError extends Error {
  constructor(
    readonly code: MessageCode,
    readonly params: MessageParams = {},
    readonly violations: Violation[] = [],
  ) {
    super(code);
    this.name = 'DomainError';
  }
}

const STATUS: Partial<Record<MessageCode, number>> = {
  invalid_field: 400,
  missing_field: 400,
  invalid_date: 400,
  date_out_of_range: 400,
  year_out_of_range: 400,
  org_unit_parent_invalid: 400,
  readmission_needs_province: 422,
  org_unit_not_grassroots_committee: 422,
  org_unit_no_change: 409,
  org_unit_dissolved: 409,
  not_a_cell: 400,
  unauthenticated: 401,
  bad_credentials: 401,
  too_many_login_attempts: 429,
  rate_limited: 429,
  request_not_for_this_case: 409,
  request_replayed: 409,
  password_too_short: 400,
  password_unchanged: 400,
  current_password_wrong: 400,
  user_not_found: 404,
  last_admin: 409,
  forbidden: 403,
  out_of_jurisdiction: 403,
  import_has_errors: 422,
  not_found: 404,
  task_not_found: 404,
  candidate_not_found: 404,
  org_unit_not_found: 404,
  task_not_open: 409,
  candidate_ended: 409,
  transfer_out_of_jurisdiction: 403,
  extension_not_authorised: 403,
  training_centre_limited_view: 403,
  place_out_of_jurisdiction: 403,
  username_taken: 409,
  idempotency_in_progress: 409,
  idempotency_key_reused: 422,
  temporal_payload_undecodable: 422,
  saved_filter_exists: 409,
  saved_filter_not_found: 404,
  email_not_retryable: 409,
  attachment_too_large: 413,
  payload_too_large: 413,
  unsupported_media_type: 415,
  attachment_type_not_allowed: 415,
  attachment_content_mismatch: 415,
  attachment_empty: 400,
  attachment_not_found: 404,
  form_not_generated: 404,
  form_decision_not_recorded: 404,
  dossier_forms_missing: 422,
  training_class_not_found: 404,
  job_not_found: 404,
  certificate_not_found: 404,
  certificate_number_ambiguous: 409,
  place_not_found: 404,
  report_period_invalid: 400,
  temporal_unavailable: 503,
  internal: 500,
};

/** Rule violations default to 422. */
export function statusFor(code: MessageCode): number {
  return STATUS[code] ?? 422;
}
