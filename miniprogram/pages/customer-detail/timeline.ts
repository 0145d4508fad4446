import type { Activity, Communication, Id, Message, Note } from '@live-crm/shared-types';
import { t } from '../../i18n/index';
import type { MessageKey } from '../../i18n/index';
import { formatStamp } from '../../utils/relative-time';
import { activityText } from '../../utils/server-text';

export type TimelineItem =
  | { kind: 'activity'; activity: Activity }
  | { kind: 'note'; note: Note }
  | { kind: 'message'; message: Message }
  | { kind: 'communication'; communication: Communication };

/** One timeline line as the view shows it; small, because a live one crosses threads alone. */
export interface Entry {
  key: string;
  icon: string;
  tone: string;
  title: string;
  body: string;
  stamp: string;
  /** flex `order`: live entries are appended to the array but shown on top */
  order: number;
  /** '' saved; 'sending' / 'queued' (waits for a connection) / 'failed' for a note of ours on its way; 'gone' hidden */
  state: '' | 'sending' | 'queued' | 'failed' | 'gone';
  /** a record's photos: `src` is the local file once downloaded (the server answers only with the token) */
  photos: EntryPhoto[];
  /** where a visit was made */
  place: string;
}

export interface EntryPhoto {
  id: Id;
  url: string;
  src: string;
}

export type Patch = Record<string, unknown>;

const ACTIVITY_ICONS: Record<string, string> = {
  call: 'call',
  meeting: 'usergroup',
  email: 'mail',
  message: 'chat',
  wechat: 'chat',
  note: 'edit-1',
  visit: 'location',
  'stage-change': 'swap',
  'follow-up': 'time',
  other: 'more',
};

const keyOf = (item: TimelineItem): string => {
  if (item.kind === 'activity') return `activity:${item.activity.id}`;
  if (item.kind === 'note') return `note:${item.note.id}`;
  if (item.kind === 'message') return `message:${item.message.id}`;
  return `communication:${item.communication.id}`;
};

const atOf = (item: TimelineItem): string => {
  if (item.kind === 'activity') return item.activity.occurredAt;
  if (item.kind === 'note') return item.note.createdAt;
  if (item.kind === 'message') return item.message.createdAt;
  return item.communication.createdAt;
};

/**
 * The customer's activities, notes, messages and calls merged newest first; live ones go on top,
 * each as a patch of its own path. Keys make an entry show once, whether it arrives as our own
 * answer or as the live echo.
 */
export class Timeline {
  private readonly seen = new Set<string>();
  private readonly pending = new Map<string, { index: number; content: string }>();
  private length = 0;
  private top = 0;

  /** `myId`: whose pending notes a live echo may settle; `nameOf`: teammates' names for calls. */
  constructor(
    private readonly myId: Id,
    private readonly nameOf: (userId: Id) => string,
  ) {}

  get size(): number {
    return this.length;
  }

  /** The first load: everything, newest first. */
  initial(items: TimelineItem[], now = Date.now()): Entry[] {
    const sorted = items.filter((item) => !this.seen.has(keyOf(item))).sort((a, b) => Date.parse(atOf(b)) - Date.parse(atOf(a)));
    return sorted.map((item) => {
      this.seen.add(keyOf(item));
      return this.entry(item, this.length++, now);
    });
  }

  /** A live (or just saved) item on top; null when it is already shown. */
  prepend(item: TimelineItem, now = Date.now()): Patch | null {
    if (item.kind === 'note' && item.note.authorId === this.myId) {
      const settled = this.settleByContent(item.note, now);
      if (settled) return settled;
    }
    const key = keyOf(item);
    if (this.seen.has(key)) return null;
    this.seen.add(key);
    const index = this.length++;
    return { [`entries[${index}]`]: this.entry(item, --this.top, now), empty: false };
  }

  /** Our note, shown before the server has it (`queued`: already waiting in the offline queue). */
  addPending(localKey: string, content: string, authorName: string, queued = false): Patch {
    const index = this.length++;
    this.pending.set(localKey, { index, content });
    const entry: Entry = {
      key: `pending:${localKey}`,
      icon: 'edit-1',
      tone: 'note',
      title: t('timeline.note', { name: authorName }),
      body: content,
      stamp: t(queued ? 'customer.noteQueued' : 'customer.noteSaving'),
      order: --this.top,
      state: queued ? 'queued' : 'sending',
      photos: [],
      place: '',
    };
    return { [`entries[${index}]`]: entry, empty: false };
  }

  /** The server saved it: the pending line becomes the note (unless its live echo got there first). */
  settle(localKey: string, note: Note, now = Date.now()): Patch | null {
    const p = this.pending.get(localKey);
    if (!p) return null;
    this.pending.delete(localKey);
    // Already on the page from a reload (the first answer was lost): hide the pending twin.
    if (this.seen.has(`note:${note.id}`)) return { [`entries[${p.index}].state`]: 'gone' };
    this.seen.add(`note:${note.id}`);
    return { [`entries[${p.index}].state`]: '', [`entries[${p.index}].stamp`]: formatStamp(note.createdAt, now) };
  }

  fail(localKey: string): Patch | null {
    const p = this.pending.get(localKey);
    return p ? { [`entries[${p.index}].state`]: 'failed', [`entries[${p.index}].stamp`]: t('customer.noteFailed') } : null;
  }

  /** No connection: the note waits in the offline queue and is sent when the phone is back online. */
  queued(localKey: string): Patch | null {
    const p = this.pending.get(localKey);
    return p ? { [`entries[${p.index}].state`]: 'queued', [`entries[${p.index}].stamp`]: t('customer.noteQueued') } : null;
  }

  retrying(localKey: string): Patch | null {
    const p = this.pending.get(localKey);
    return p ? { [`entries[${p.index}].state`]: 'sending', [`entries[${p.index}].stamp`]: t('customer.noteSaving') } : null;
  }

  pendingContent(localKey: string): string | null {
    return this.pending.get(localKey)?.content ?? null;
  }

  /** The live echo of our own note can beat the POST's answer: it settles the pending line. */
  private settleByContent(note: Note, now: number): Patch | null {
    if (this.seen.has(`note:${note.id}`)) return null;
    for (const [localKey, p] of this.pending) {
      if (p.content === note.content) return this.settle(localKey, note, now);
    }
    return null;
  }

  private entry(item: TimelineItem, order: number, now: number): Entry {
    const base = {
      key: keyOf(item),
      order,
      state: '' as const,
      stamp: formatStamp(atOf(item), now),
      photos: [] as EntryPhoto[],
      place: '',
    };
    if (item.kind === 'activity') {
      const a = item.activity;
      const type = t(`activity.${a.type}` as MessageKey);
      return {
        ...base,
        icon: ACTIVITY_ICONS[a.type] ?? 'more',
        tone: 'activity',
        title: `${a.actorName} · ${type}`,
        body: activityText(a),
        photos: (a.attachments ?? []).map((p) => ({ id: p.id, url: p.url, src: '' })),
        place: a.location ? (a.location.name ?? a.location.address ?? '') : '',
      };
    }
    if (item.kind === 'note') {
      const n = item.note;
      return { ...base, icon: 'edit-1', tone: 'note', title: t('timeline.note', { name: n.authorName }), body: n.content };
    }
    if (item.kind === 'message') {
      const m = item.message;
      return { ...base, icon: 'chat', tone: 'message', title: t('timeline.message', { name: m.senderName }), body: m.content };
    }
    const c = item.communication;
    const title = [this.nameOf(c.userId), t(`comm.${c.type}` as MessageKey), t(`comm.${c.status}` as MessageKey)].join(' · ');
    return {
      ...base,
      icon: c.status === 'failed' || c.status === 'missed' ? 'call-off' : 'call',
      tone: 'call',
      title,
      body: c.phoneNumber ?? '',
    };
  }
}
