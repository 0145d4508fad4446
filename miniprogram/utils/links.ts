import type { Id } from '@live-crm/shared-types';

/** Mini program paths of records, as the server writes them into notification links. */
export const taskLink = (id: Id): string => `/pages/task-detail/index?id=${id}`;
export const customerLink = (id: Id): string => `/pages/customer-detail/index?id=${id}`;
export const opportunityLink = (id: Id): string => `/pages/opportunity-detail/index?id=${id}`;

/**
 * Opens an in-app path: navigateTo, or switchTab when it is a tab page (navigateTo refuses those,
 * and a tab page takes no query).
 */
export function openLink(url: string | null): void {
  if (!url || !url.startsWith('/pages/')) return;
  wx.navigateTo({
    url,
    fail: () => { wx.switchTab({ url: url.split('?')[0] ?? url }); },
  });
}
