import type { Contact, Id, Opportunity, Task, TeamEventEnvelope } from '@live-crm/shared-types';
import { keepLive } from '../../behaviors/live-page';
import { t } from '../../i18n/index';
import type { MessageKey } from '../../i18n/index';
import { getPipeline } from '../../services/pipeline';
import { realtime } from '../../services/realtime';
import { listContacts, photoFile } from '../../services/records';
import { listTasks } from '../../services/tasks';
import { formatMoney } from '../../utils/format';
import { taskTitle } from '../../utils/server-text';
import { formatDue } from '../../utils/when';
import type { Entry } from './timeline';

/** What the customer page shows of a contact, a deal, a task: small rows, patched by path when live. */
export interface ContactRow {
  id: Id;
  name: string;
  detail: string;
  phone: string;
  primary: boolean;
  version: number;
}
export interface DealRow {
  id: Id;
  title: string;
  detail: string;
}
export interface TaskRow {
  id: Id;
  title: string;
  due: string;
}

export const contactRow = (c: Contact): ContactRow => ({
  id: c.id,
  name: c.name,
  detail: [c.title, t(`contactRole.${c.role}` as MessageKey)].filter(Boolean).join(' · '),
  phone: c.phone ?? '',
  primary: c.primary,
  version: c.version,
});
const dealRow = (o: Opportunity, stage: string): DealRow => ({
  id: o.id,
  title: o.title,
  detail: `${stage} · ${formatMoney(o.valueCents)}`,
});
const taskRow = (task: Task): TaskRow => ({ id: task.id, title: taskTitle(task), due: task.dueAt ? formatDue(task.dueAt) : '' });

/** The page this behaviour is mixed into: its data and setData (the behaviour's own methods are called through `this`). */
interface Host {
  data: { contacts: ContactRow[]; deals: DealRow[]; tasks: TaskRow[]; entries: Entry[]; customerId: number };
  setData(patch: Record<string, unknown>): void;
}

/**
 * The customer page's people, deals and open tasks (ARCHITECTURE 9.3), live: a contact added or
 * changed anywhere shows at once (a new primary demotes the others here as on the server); and the
 * timeline's photos, fetched with the token and shown as thumbnails that open wx.previewImage.
 */
export const relatedMethods = Behavior({
  data: { contacts: [] as ContactRow[], deals: [] as DealRow[], tasks: [] as TaskRow[] },
  methods: {
    watchRelated() {
      const host = this as unknown as Host;
      const onContact = (env: TeamEventEnvelope<'contact:created' | 'contact:updated'>) => {
        const c = env.data.contact;
        if (c.customerId !== host.data.customerId) return;
        const rows = host.data.contacts;
        const at = rows.findIndex((r) => r.id === c.id);
        if (at >= 0 && rows[at]!.version >= c.version) return;
        const patch: Record<string, unknown> = {};
        if (c.primary) rows.forEach((r, i) => r.primary && r.id !== c.id && (patch[`contacts[${i}].primary`] = false));
        patch[`contacts[${at >= 0 ? at : rows.length}]`] = contactRow(c);
        host.setData(patch);
      };
      keepLive(this, realtime.on('contact:created', onContact), realtime.on('contact:updated', onContact));
    },

    async loadRelated(customerId: Id) {
      const host = this as unknown as Host;
      const [contacts, pipeline, tasks] = await Promise.all([
        listContacts(customerId).catch(() => [] as Contact[]),
        getPipeline().catch(() => null),
        listTasks('all', { customerId }).catch(() => [] as Task[]),
      ]);
      const stages = new Map((pipeline?.stages ?? []).map((s) => [s.id, s.key ? t(`stage.${s.key}` as MessageKey) : s.name]));
      host.setData({
        contacts: contacts.map(contactRow),
        deals: (pipeline?.opportunities ?? [])
          .filter((o) => o.customerId === customerId)
          .map((o) => dealRow(o, stages.get(o.stageId) ?? '')),
        tasks: tasks.filter((x) => x.status !== 'completed').map(taskRow),
      });
    },

    /** Downloads every thumbnail not yet shown, each into its own path. */
    fillPhotos() {
      const host = this as unknown as Host;
      host.data.entries.forEach((entry, i) =>
        entry.photos.forEach((p, j) => {
          if (p.src) return;
          photoFile({ id: p.id, url: p.url, mime: 'image/jpeg', size: 0 }).then(
            (src) => host.setData({ [`entries[${i}].photos[${j}].src`]: src }),
            () => undefined,
          );
        }),
      );
    },

    onPhotoTap(e: WechatMiniprogram.BaseEvent<Record<string, never>, { entry?: number; photo?: number }>) {
      const host = this as unknown as Host;
      const entry = host.data.entries[Number(e.currentTarget.dataset.entry)];
      const urls = (entry?.photos ?? []).map((p) => p.src).filter(Boolean);
      const current = entry?.photos[Number(e.currentTarget.dataset.photo)]?.src;
      if (urls.length) wx.previewImage({ urls, current: current || urls[0]! });
    },

    onCallContact(e: WechatMiniprogram.BaseEvent<Record<string, never>, { phone?: string }>) {
      const phone = e.currentTarget.dataset.phone;
      if (phone) wx.makePhoneCall({ phoneNumber: phone });
    },

    onOpenDeal(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id?: number }>) {
      wx.navigateTo({ url: `/pages/opportunity-detail/index?id=${e.currentTarget.dataset.id}` });
    },

    onOpenTask(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id?: number }>) {
      wx.navigateTo({ url: `/pages/task-detail/index?id=${e.currentTarget.dataset.id}` });
    },

    onRecord() {
      wx.navigateTo({ url: `/pages/record-form/index?customerId=${(this as unknown as Host).data.customerId}` });
    },

    onVisit() {
      wx.navigateTo({ url: `/pages/record-form/index?customerId=${(this as unknown as Host).data.customerId}&visit=1` });
    },
  },
});
