import type { Id, Message } from '@live-crm/shared-types';
import { t } from '../../i18n/index';
import { formatStamp } from '../../utils/relative-time';

/**
 * One record; small, because a live one crosses threads alone. Every record is the team's own
 * (nothing reaches the customer), so ours and a teammate's share one layout: no chat sides.
 */
export interface Bubble {
  key: string;
  sender: string;
  initial: string;
  tone: number;
  content: string;
  stamp: string;
  /** '' sent; 'sending' / 'failed' for ours on its way */
  state: '' | 'sending' | 'failed';
}

export type Patch = Record<string, unknown>;

/**
 * The team's message log oldest first: new bubbles are appended at their own path. A message shows
 * once whether it comes back as our answer or as the live echo.
 */
export class Thread {
  private readonly seen = new Set<Id>();
  private readonly pending = new Map<string, { index: number; content: string }>();
  private length = 0;

  constructor(private readonly myId: Id) {}

  get size(): number {
    return this.length;
  }

  /** The history as the server answers it (newest first), turned oldest first. */
  initial(newestFirst: Message[], now = Date.now()): Bubble[] {
    return [...newestFirst]
      .reverse()
      .filter((m) => !this.seen.has(m.id))
      .map((m) => {
        this.seen.add(m.id);
        this.length += 1;
        return this.bubble(m, now);
      });
  }

  /** A live or just-sent message: a new bubble, or our pending one settled. */
  append(m: Message, now = Date.now()): Patch | null {
    if (this.seen.has(m.id)) return null;
    if (m.senderId === this.myId) {
      for (const [key, p] of this.pending) if (p.content === m.content) return this.settle(key, m, now);
    }
    this.seen.add(m.id);
    return { [`bubbles[${this.length++}]`]: this.bubble(m, now), empty: false };
  }

  addPending(key: string, content: string, myName: string): Patch {
    const index = this.length++;
    this.pending.set(key, { index, content });
    const bubble: Bubble = {
      key: `pending:${key}`,
      sender: t('message.you'),
      initial: Array.from(myName)[0] ?? '?',
      tone: this.myId % 6,
      content,
      stamp: t('message.sending'),
      state: 'sending',
    };
    return { [`bubbles[${index}]`]: bubble, empty: false };
  }

  settle(key: string, m: Message, now = Date.now()): Patch | null {
    const p = this.pending.get(key);
    this.seen.add(m.id);
    if (!p) return null;
    this.pending.delete(key);
    return { [`bubbles[${p.index}].state`]: '', [`bubbles[${p.index}].stamp`]: formatStamp(m.createdAt, now) };
  }

  fail(key: string): Patch | null {
    const p = this.pending.get(key);
    return p ? { [`bubbles[${p.index}].state`]: 'failed', [`bubbles[${p.index}].stamp`]: t('message.failed') } : null;
  }

  retrying(key: string): { patch: Patch; content: string } | null {
    const p = this.pending.get(key);
    if (!p) return null;
    return { patch: { [`bubbles[${p.index}].state`]: 'sending', [`bubbles[${p.index}].stamp`]: t('message.sending') }, content: p.content };
  }

  private bubble(m: Message, now: number): Bubble {
    const mine = m.senderId === this.myId;
    return {
      key: `message:${m.id}`,
      sender: mine ? t('message.you') : m.senderName,
      initial: Array.from(m.senderName.trim())[0] ?? '?',
      tone: m.senderId % 6,
      content: m.content,
      stamp: formatStamp(m.createdAt, now),
      state: '',
    };
  }
}
