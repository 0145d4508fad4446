import type { Id } from '@live-crm/shared-types';

/** Mini program paths of records, as the server writes them into notification links. */
export const taskLink = (id: Id): string => `/pages/task-detail/index?id=${id}`;
export const customerLink = (id: Id): string => `/pages/customer-detail/index?id=${id}`;
export const opportunityLink = (id: Id): string => `/pages/opportunity-detail/index?id=${id}`;

/** The page path with its query, as WeChat opened it (what a shared card or a link carries). */
export function pathOf(route: string, query: Record<string, string | undefined>): string {
  const parts = Object.keys(query)
    .filter((key) => query[key] !== undefined)
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(String(query[key]))}`);
  return parts.length ? `${route}?${parts.join('&')}` : route;
}

/**
 * Opens an in-app path: navigateTo, or switchTab when it is a tab page (navigateTo refuses those,
 * and a tab page takes no query).
 */
export function openLink(url: string | null): void {
  if (!url || !url.startsWith('/pages/')) return;
  wx.navigateTo({
    url,
    fail: () => {
      wx.switchTab({ url: url.split('?')[0] ?? url });
    },
  });
}
