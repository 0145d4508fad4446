import type { ImportDuplicate, ImportDuplicatesChoice, ImportReport, ImportRowError } from '@live-crm/shared-types';
import { t } from '../../i18n/index';
import type { MessageKey } from '../../i18n/index';
import { isApiError } from '../../services/api';

/** Findings drawn at most: a sheet of 10,000 bad rows would be a setData of megabytes. */
export const SHOWN = 50;

export interface Line {
  key: string;
  row: string;
  text: string;
}

const fieldName = (field: string): string => t(`import.field.${field}` as MessageKey);

/** A row's finding in the phone's language (the server's English message only for a code it does not know). */
function errorLine(e: ImportRowError): Line {
  const known = ['required', 'too_long', 'invalid_phone', 'invalid_email', 'invalid_status', 'unstorable'];
  const text = known.includes(e.code) ? t(`import.err.${e.code}` as MessageKey, { field: fieldName(e.field) }) : e.message;
  return { key: `${e.row}-${e.field}`, row: t('import.row', { row: e.row }), text };
}

function duplicateLine(d: ImportDuplicate): Line {
  const field = fieldName(d.field);
  const text =
    d.code === 'in_file'
      ? t('import.dup.in_file', { field, ofRow: d.ofRow ?? '' })
      : d.code === 'in_team'
        ? t('import.dup.in_team', { field, name: d.customerName ?? '' })
        : d.code === 'other_team'
          ? t('import.dup.other_team', { field })
          : d.message;
  return { key: `${d.row}`, row: t('import.row', { row: d.row }), text };
}

const more = (count: number): string => (count > SHOWN ? t('import.more', { count: count - SHOWN }) : '');

/** The apply button for the duplicates choice: what it will write, or that nothing would be written. */
export function applyView(report: ImportReport, choice: ImportDuplicatesChoice) {
  // An in-file repeat folds into its new row: only a team customer makes merge write more.
  const merges = choice === 'merge' && report.duplicateRows.some((d) => d.code === 'in_team');
  const text =
    merges && report.valid > 0
      ? t('import.applyWithMerge', { count: report.valid })
      : merges
        ? t('import.applyMerge')
        : t('import.apply', { count: report.valid });
  return { applyText: text, nothing: report.valid === 0 && !merges };
}

/** What the report part of the page shows for a checked import. */
export function reportView(report: ImportReport, choice: ImportDuplicatesChoice) {
  return {
    summary: {
      valid: report.valid,
      duplicates: report.duplicates,
      invalid: report.invalid,
      total: t('import.ofTotal', { total: report.total }),
    },
    errors: report.errors.slice(0, SHOWN).map(errorLine),
    moreErrors: more(report.errors.length),
    dups: report.duplicateRows.slice(0, SHOWN).map(duplicateLine),
    moreDups: more(report.duplicateRows.length),
    ...applyView(report, choice),
  };
}

export function appliedText(report: ImportReport): string {
  const a = report.applied;
  return a ? t('import.applied', { created: a.created, merged: a.merged, skipped: a.skipped }) : '';
}

/** Why the server refused the file (or the phone did, before sending it), in the phone's language. */
export function refusalText(err: unknown): string | null {
  if (!isApiError(err)) return null;
  const reason = (err.details as { reason?: string } | undefined)?.reason;
  const known = ['not_spreadsheet', 'xls', 'empty', 'no_header', 'too_many_rows', 'too_large', 'no_file'];
  if (reason && known.includes(reason)) return t(`import.refused.${reason}` as MessageKey);
  if (err.code === 'payload_too_large') return t('import.refused.too_large');
  if (err.code === 'forbidden') return t('import.notAllowed');
  return null;
}
