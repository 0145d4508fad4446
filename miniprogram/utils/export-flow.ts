import type { ExportType } from '@live-crm/shared-types';
import { t } from '../i18n/index';
import { exportAndOpen } from '../services/export';
import type { ExportFilters } from '../services/export';
import { errorText } from './page';

const EXPORT_TYPES: ExportType[] = ['customers', 'opportunities', 'tasks', 'activities'];

/** The export buttons' labels, in the UI language. */
export function exportButtons(): Array<{ type: ExportType; label: string }> {
  return EXPORT_TYPES.map((type) => ({ type, label: t(`export.${type}`) }));
}

export function isExportType(value: unknown): value is ExportType {
  return typeof value === 'string' && (EXPORT_TYPES as string[]).includes(value);
}

/**
 * Signed link -> download -> WeChat's document viewer, behind a blocking spinner (a second tap
 * would start a second download). Answers the error text to show, or null when the file opened.
 */
export async function runExport(type: ExportType, filters: ExportFilters): Promise<string | null> {
  wx.showLoading({ title: t('export.preparing'), mask: true });
  try {
    await exportAndOpen(type, filters);
    return null;
  } catch (err) {
    return t('export.failed', { reason: errorText(err) });
  } finally {
    wx.hideLoading();
  }
}
