import type { Id } from '@live-crm/shared-types';
import { customerLink, opportunityLink } from './links';

/** The card a record page shares into a WeChat chat: its title and the path a teammate opens. */
export interface ShareCard {
  title: string;
  path: string;
}

/** Opened from a chat card: a refusal then says the record is someone else's, not just missing. */
const SHARED = 'shared=1';

export const sharedCustomerPath = (id: Id): string => `${customerLink(id)}&${SHARED}`;
export const sharedOpportunityPath = (id: Id): string => `${opportunityLink(id)}&${SHARED}`;

export function openedFromShare(query: Record<string, string | undefined>): boolean {
  return query.shared === '1';
}

/** Shows 转发 in the page's menu (WeChat hides it unless the page asks). */
export function enableShareMenu(): void {
  wx.showShareMenu({ withShareTicket: false, menus: ['shareAppMessage'] });
}
