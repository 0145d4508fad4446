import type {
  Communication, CommunicationInput, CommunicationResponse, Id, Note, NoteResponse, Task, TaskMutationResponse, TaskStatus,
} from '@live-crm/shared-types';
import { t } from '../i18n/index';
import { offlineQueue } from './offline-queue';
import type { Submitted } from './offline-queue';
import type { Unsubscribe } from './realtime-client';
import { conflictTask } from './tasks';
import { taskTitle } from '../utils/server-text';

/**
 * Saves from the customer and task flows that also work without a connection: each goes out now, or
 * waits in the offline queue (shown as pending) and is replayed in order under the same
 * Idempotency-Key. Same routes and bodies as customers.ts / tasks.ts / communications.ts.
 */

const LABEL_MAX = 20;
const short = (text: string): string => (text.length > LABEL_MAX ? `${text.slice(0, LABEL_MAX)}…` : text);

function unwrap<R, T>(res: Submitted<R>, pick: (r: R) => T): Submitted<T> {
  return res.queued ? res : { queued: false, value: pick(res.value) };
}

const notesPath = (customerId: Id): string => `/api/crm/customers/${customerId}/notes`;

/** `key` is the one the page shows the pending note under, so the replay saves it once. */
export async function saveNote(customerId: Id, content: string, key: string): Promise<Submitted<Note>> {
  return unwrap(await offlineQueue.submit<NoteResponse>({
    method: 'POST', path: notesPath(customerId), body: { content }, key,
    label: t('offline.noteLabel', { content: short(content) }),
  }), (r) => r.note);
}

/** Complete or reopen a task, with the version the phone knows (a stale one is refused with 409). */
export async function saveTaskStatus(task: Task, status: TaskStatus): Promise<Submitted<Task>> {
  const label = t(status === 'completed' ? 'offline.completeLabel' : 'offline.reopenLabel', { title: short(taskTitle(task)) });
  return unwrap(await offlineQueue.submit<TaskMutationResponse>({
    method: 'PUT', path: `/api/crm/tasks/${task.id}`, body: { status, version: task.version }, label,
  }), (r) => r.task);
}

/** A call's log entry: made while the rep may well have no data connection. */
export async function saveCallLog(input: CommunicationInput): Promise<Submitted<Communication>> {
  return unwrap(await offlineQueue.submit<CommunicationResponse>({
    method: 'POST', path: '/api/crm/communications', body: { ...input },
    label: t('offline.callLabel', { phone: input.phoneNumber ?? '' }),
  }), (r) => r.communication);
}


/** A queued note reaching the server: saved, or refused (the queue tells the person why). */
export type NoteSync = { kind: 'applied'; key: string; note: Note } | { kind: 'refused'; key: string };

export function onNoteSync(customerId: Id, handler: (sync: NoteSync) => void): Unsubscribe {
  const path = notesPath(customerId);
  return offlineQueue.subscribe((e) => {
    if (e.item.path !== path || e.kind === 'queued') return;
    const note = e.kind === 'applied' ? (e.result as { note?: Note } | null)?.note : undefined;
    if (note) handler({ kind: 'applied', key: e.item.id, note });
    else if (e.kind === 'refused') handler({ kind: 'refused', key: e.item.id });
  });
}

/** This customer's notes still waiting for a connection (after a relaunch too), oldest first. */
export function queuedNotes(customerId: Id): Array<{ key: string; content: string }> {
  const path = notesPath(customerId);
  return offlineQueue.pending()
    .filter((item) => item.path === path && typeof item.body?.['content'] === 'string')
    .map((item) => ({ key: item.id, content: String(item.body?.['content']) }));
}

const TASK_PATH = /^\/api\/crm\/tasks\/(\d+)$/;

/** A queued task change reaching the server: applied (the saved task) or refused (the 409's fresh record, if any). */
export type TaskSync = { kind: 'applied'; task: Task } | { kind: 'refused'; id: Id; current: Task | null };

export function onTaskSync(handler: (sync: TaskSync) => void): Unsubscribe {
  return offlineQueue.subscribe((e) => {
    const match = TASK_PATH.exec(e.item.path);
    if (!match || e.item.method !== 'PUT' || e.kind === 'queued') return;
    if (e.kind === 'refused') { handler({ kind: 'refused', id: Number(match[1]), current: conflictTask(e.error) }); return; }
    const task = (e.result as { task?: Task } | null)?.task;
    if (task) handler({ kind: 'applied', task });
  });
}
