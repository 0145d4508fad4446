import type { Communication, CommunicationInput, Id, Note, Task, TaskStatus } from '@live-crm/shared-types';
import { t } from '../i18n/index';
import { offlineQueue } from './offline-queue';
import type { Submitted } from './offline-queue';
import type { Unsubscribe } from './realtime-client';
import { conflictTask } from './tasks';
import { taskTitle } from '../utils/server-text';

/**
 * Saves from the customer and task flows that also work without a connection: each goes out now, or
 * waits in the offline queue (shown as pending) and is replayed in order under the same
 * Idempotency-Key. The same commands as customers.ts / tasks.ts / communications.ts send.
 */

const LABEL_MAX = 20;
const short = (text: string): string => (text.length > LABEL_MAX ? `${text.slice(0, LABEL_MAX)}…` : text);

function unwrap<R, T>(res: Submitted<R>, pick: (r: R) => T): Submitted<T> {
  return res.queued ? res : { queued: false, value: pick(res.value) };
}

/** `key` is the one the page shows the pending note under, so the replay saves it once. */
export async function saveNote(customerId: Id, content: string, key: string): Promise<Submitted<Note>> {
  return unwrap(
    await offlineQueue.submit({
      command: { type: 'note.add', req: { customerId, content } },
      key,
      label: t('offline.noteLabel', { content: short(content) }),
    }),
    (r) => r.note,
  );
}

/** Complete or reopen a task, with the version the phone knows (a stale one is refused with 409). */
export async function saveTaskStatus(task: Task, status: TaskStatus): Promise<Submitted<Task>> {
  const label = t(status === 'completed' ? 'offline.completeLabel' : 'offline.reopenLabel', { title: short(taskTitle(task)) });
  return unwrap(
    await offlineQueue.submit({
      command: { type: 'task.setStatus', req: { id: task.id, status, version: task.version } },
      label,
    }),
    (r) => r.task,
  );
}

/** A call's log entry: made while the rep may well have no data connection. */
export async function saveCallLog(input: CommunicationInput): Promise<Submitted<Communication>> {
  return unwrap(
    await offlineQueue.submit({
      command: { type: 'communication.log', req: input },
      label: t('offline.callLabel', { phone: input.phoneNumber ?? '' }),
    }),
    (r) => r.communication,
  );
}

/** A queued note reaching the server: saved, or refused (the queue tells the person why). */
export type NoteSync = { kind: 'applied'; key: string; note: Note } | { kind: 'refused'; key: string };

export function onNoteSync(customerId: Id, handler: (sync: NoteSync) => void): Unsubscribe {
  return offlineQueue.onSettled(['note.add'], (s) => {
    if (s.req.customerId !== customerId) return;
    handler(s.kind === 'applied' ? { kind: 'applied', key: s.key, note: s.result.note } : { kind: 'refused', key: s.key });
  });
}

/** This customer's notes still waiting for a connection (after a relaunch too), oldest first. */
export function queuedNotes(customerId: Id): Array<{ key: string; content: string }> {
  return offlineQueue
    .pending()
    .flatMap(({ key, command }) =>
      command.type === 'note.add' && command.req.customerId === customerId ? [{ key, content: command.req.content }] : [],
    );
}

/** A queued task change reaching the server: applied (the saved task) or refused (the 409's fresh record, if any). */
export type TaskSync = { kind: 'applied'; task: Task } | { kind: 'refused'; id: Id; current: Task | null };

export function onTaskSync(handler: (sync: TaskSync) => void): Unsubscribe {
  return offlineQueue.onSettled(['task.setStatus', 'task.update'], (s) => {
    if (s.kind === 'refused') handler({ kind: 'refused', id: s.req.id, current: conflictTask(s.error) });
    else handler({ kind: 'applied', task: s.result.task });
  });
}
