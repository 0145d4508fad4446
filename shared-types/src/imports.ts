import type { Id, IsoDateTime } from './entities.js';

/** ARCHITECTURE §9.5: a customer sheet brought in from Excel (or CSV), checked, then applied once. */
export type ImportStatus = 'checking' | 'ready' | 'applied' | 'failed';

/** The columns of the template, as the `field` of a row finding. */
export type ImportField = 'name' | 'company' | 'phone' | 'email' | 'status' | 'address';

/**
 * Why a row cannot be written (`errors`) or why it matches someone already there (`duplicateRows`).
 * `message` is English for logs and API users; each phone writes `code` in its own language.
 */
export type ImportErrorCode = 'required' | 'too_long' | 'invalid_phone' | 'invalid_email' | 'invalid_status' | 'unstorable';
export type ImportDuplicateCode = 'in_file' | 'in_team' | 'other_team';

export interface ImportRowError {
  /** The row number a person sees in the spreadsheet (the header is row 1 in the template). */
  row: number;
  field: ImportField;
  code: ImportErrorCode;
  message: string;
}

export interface ImportDuplicate {
  row: number;
  /** The column that matched (`phone` wins when both match). */
  field: 'phone' | 'email';
  code: ImportDuplicateCode;
  message: string;
  /** `in_file`: the earlier row it repeats. */
  ofRow?: number;
  /** `in_team`: the customer it matches (one the importer may open); absent for another team's. */
  customerId?: Id;
  customerName?: string;
}

export type ImportDuplicatesChoice = 'skip' | 'merge';

/** What an apply wrote; repeated applies answer the same. */
export interface ImportApplied {
  duplicates: ImportDuplicatesChoice;
  toPool: boolean;
  /** New customers. */
  created: number;
  /** Existing customers updated from the sheet (`merge`). */
  merged: number;
  /** Duplicate rows left out (`skip`, or another team's customer). */
  skipped: number;
  at: IsoDateTime;
}

export interface ImportReport {
  id: Id;
  status: ImportStatus;
  /** File name as uploaded. */
  fileName: string;
  teamId: Id;
  /** Data rows in the file (the header row not counted). */
  total: number;
  /** Rows checked so far; equals `total` once `ready`. */
  processed: number;
  /** Rows that would become new customers. */
  valid: number;
  /** Rows matching a customer already there or an earlier row of the file. */
  duplicates: number;
  /** Rows that cannot be written, as one finding per bad field. */
  invalid: number;
  errors: ImportRowError[];
  duplicateRows: ImportDuplicate[];
  createdBy: Id;
  createdAt: IsoDateTime;
  applied: ImportApplied | null;
}

export interface ImportResponse {
  import: ImportReport;
}

/** 202 to an upload: checking goes on in the background, `import:progress` tells how far. */
export interface ImportAccepted {
  import: Pick<ImportReport, 'id' | 'status' | 'total'>;
}

export interface ImportApplyRequest {
  duplicates: ImportDuplicatesChoice;
  /** New customers go to the team's pool (owner null) instead of the importer. */
  toPool?: boolean;
}

/** `import:progress` to `user:<uploader>` while the server checks the rows. */
export interface ImportProgress {
  id: Id;
  processed: number;
  total: number;
  /** `ready` (or `failed`) on the last one. */
  status: ImportStatus;
}
