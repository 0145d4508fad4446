import type { Activity, NotedTask, NotificationPayload } from '@live-crm/shared-types';
import { stageLabel, t } from '../i18n/index';
import { formatDue } from './when';

/**
 * Text the server stores as a kind and parameters, written out in the phone's language. Stage
 * names are `stageLabel` (i18n); task titles and notifications are here.
 */

/** A task's title: as typed, or the server-written one (a follow-up's) in the phone's language. */
export function taskTitle(task: NotedTask): string {
  if (task.titleKey === 'follow-up' && task.titleParams) return t('taskTitle.follow-up', { customer: task.titleParams.customer });
  return task.title;
}

/** An activity's text: what the user typed, or a stage change's deal and stages in the phone's language. */
export function activityText(a: Pick<Activity, 'content' | 'params'>): string {
  if (!a.params) return a.content;
  const { title, from, to } = a.params;
  return t('timeline.stageChange', { title, from: stageLabel(from), to: stageLabel(to) });
}

export interface NotificationText {
  title: string;
  body: string;
}

/**
 * A notification's title and body. Rows from before kinds had parameters carry the server's own
 * text and show it; a kind this phone does not know yet shows a plain "new notification".
 */
export function notificationText(n: NotificationPayload, now: number = Date.now()): NotificationText {
  if (n.title !== null) return { title: n.title, body: n.body ?? '' };
  switch (n.kind) {
    case 'task-assigned':
      return { title: t('notify.task-assigned', { name: n.params.actorName }), body: taskTitle(n.params.task) };
    case 'task-reminder': {
      const { task, dueAt, remindAt, customerName } = n.params;
      const when = dueAt ? t('notify.due', { time: formatDue(dueAt, now) }) : t('notify.remind', { time: formatDue(remindAt, now) });
      return { title: t('notify.task-reminder', { title: taskTitle(task) }), body: [when, customerName].filter(Boolean).join(' · ') };
    }
    case 'follow-up-due': {
      const { task, dueAt, remindAt, customerName } = n.params;
      return {
        title: t('notify.follow-up-due', { name: customerName ?? taskTitle(task) }),
        body: `${taskTitle(task)} · ${formatDue(dueAt ?? remindAt, now)}`,
      };
    }
    case 'mention':
      return {
        title: t('notify.mention', { name: n.params.actorName }),
        body: t('notify.mentionBody', { customer: n.params.customerName }),
      };
    case 'handover': {
      const { leaverName, customers, opportunities, tasks } = n.params;
      const counts = { customers: String(customers), opportunities: String(opportunities), tasks: String(tasks) };
      return { title: t('notify.handover', { name: leaverName }), body: t('notify.handoverBody', counts) };
    }
    case 'reassigned-to-you':
      return {
        title: t(n.params.record === 'customer' ? 'notify.customerToYou' : 'notify.dealToYou', { name: n.params.actorName }),
        body: n.params.name,
      };
    case 'reassigned-away':
      return {
        title: t(n.params.record === 'customer' ? 'notify.customerAway' : 'notify.dealAway', {
          name: n.params.actorName,
          to: n.params.toName,
        }),
        body: n.params.name,
      };
    case 'recycle-warning':
      return {
        title: t('notify.recycleWarning', { name: n.params.customerName }),
        body: t('notify.recycleAt', { time: formatDue(n.params.recycleAt, now) }),
      };
    case 'customer-recycled':
      return {
        title: t('notify.recycled', { name: n.params.customerName }),
        body: t('notify.recycledBody', { days: n.params.days }),
      };
    default:
      return { title: t('notify.unknown'), body: '' };
  }
}
