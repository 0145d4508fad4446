import type { AnyTeamEvent, Id } from '@live-crm/shared-types';
import { t } from '../../i18n/index';
import type { MessageKey } from '../../i18n/index';
import { formatMoney } from '../../utils/format';
import { customerLink, opportunityLink, taskLink } from '../../utils/links';
import { formatAgo } from '../../utils/when';
import { taskTitle } from '../../utils/server-text';

/** One feed line: who (avatar and name), did what to which record (one sentence), when. */
export interface FeedEntry {
  seq: number;
  actor: string;
  initial: string;
  text: string;
  detail: string;
  time: string;
  /** flex `order`: newest first whatever slot an entry was put in */
  order: number;
}

export interface Names {
  member(id: Id | null): string;
  /** undefined while unknown; the entry is described again once it is known */
  customer(id: Id | null): string | undefined;
  stage(id: Id): string;
}

interface Said {
  key: MessageKey;
  params: Record<string, string>;
  detail: string;
  link: string | null;
  customerId: Id | null;
}

function customerSaid(key: MessageKey, id: Id | null, names: Names, detail = ''): Said {
  return { key, params: { name: names.customer(id) ?? t('feed.aCustomer') }, detail, link: id ? customerLink(id) : null, customerId: id };
}

/** What happened, as one sentence in the UI language, and the record a tap opens. */
export function said(env: AnyTeamEvent, names: Names): Said {
  switch (env.type) {
    case 'customer:created':
    case 'customer:updated': {
      const c = env.data.customer;
      return { key: `feed.${env.type}`, params: { name: c.name }, detail: c.company ?? '', link: customerLink(c.id), customerId: null };
    }
    case 'customer:note-added':
      return customerSaid('feed.customer:note-added', env.data.customerId, names, env.data.note.content);
    case 'opportunity:created':
    case 'opportunity:updated':
    case 'opportunity:moved': {
      const o = env.data.opportunity;
      const stage = env.type === 'opportunity:moved' ? names.stage(env.data.toStageId) : '';
      const detail = `${o.customerName} · ${formatMoney(o.valueCents)}`;
      return { key: `feed.${env.type}`, params: { title: o.title, stage }, detail, link: opportunityLink(o.id), customerId: null };
    }
    case 'activity:created': {
      const a = env.data.activity;
      const said = customerSaid('feed.activity:created', a.customerId, names, a.content);
      return a.customerId === null && a.opportunityId ? { ...said, link: opportunityLink(a.opportunityId) } : said;
    }
    case 'task:created':
    case 'task:updated':
    case 'task:assigned': {
      const task = env.data.task;
      const key: MessageKey = env.type === 'task:updated' && task.status === 'completed' ? 'feed.task:completed' : `feed.${env.type}`;
      const name = env.type === 'task:assigned' ? names.member(task.assigneeId) : '';
      return { key, params: { title: taskTitle(task), name }, detail: '', link: taskLink(task.id), customerId: null };
    }
    case 'message:created':
      return customerSaid('feed.message:created', env.data.message.customerId, names, env.data.message.content);
    case 'communication:logged': {
      const c = env.data.communication;
      return customerSaid(`feed.communication:${c.type}`, c.customerId, names);
    }
    case 'customer:owner-changed': {
      const c = env.data.customer;
      const params = { name: c.name, owner: names.member(c.ownerId) };
      return { key: `feed.owner:${env.data.reason}`, params, detail: c.company ?? '', link: customerLink(c.id), customerId: null };
    }
    case 'opportunity:owner-changed': {
      const o = env.data.opportunity;
      const params = { name: o.title, owner: names.member(o.ownerId) };
      return { key: `feed.owner:${env.data.reason}`, params, detail: o.customerName, link: opportunityLink(o.id), customerId: null };
    }
    case 'contact:created':
    case 'contact:updated': {
      const c = env.data.contact;
      return customerSaid(`feed.${env.type}`, c.customerId, names, c.title ? `${c.name} · ${c.title}` : c.name);
    }
    case 'customers:imported':
      return { key: 'feed.customers:imported', params: { count: String(env.data.count) }, detail: '', link: null, customerId: null };
    case 'member:joined':
      return { key: 'feed.member:joined', params: {}, detail: '', link: null, customerId: null };
    case 'member:deactivated': {
      const params = { name: env.data.member.name, owner: names.member(env.data.handoverTo) };
      return { key: 'feed.member:deactivated', params, detail: '', link: null, customerId: null };
    }
  }
}

export function entryOf(env: AnyTeamEvent, names: Names, now: number): FeedEntry {
  const s = said(env, names);
  const actor = names.member(env.actorId);
  return {
    seq: env.seq,
    actor,
    initial: actor.trim().charAt(0).toUpperCase(),
    text: t(s.key, s.params),
    detail: s.detail.length > 80 ? `${s.detail.slice(0, 80)}…` : s.detail,
    time: formatAgo(env.at, now),
    order: -env.seq,
  };
}
