import type {
  Communication, CommunicationInput, CommunicationResponse, Id, Note, NoteResponse, Task, TaskMutationResponse, TaskStatus,
} from '@live-crm/shared-types';
import { t } from '../i18n/index';
import { offlineQueue } from './offline-queue';
import type { Submitted } from './offline-queue';

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

/** `key` is the one the page shows the pending note under, so the replay saves it once. */
export async function saveNote(customerId: Id, content: string, key: string): Promise<Submitted<Note>> {
  return unwrap(await offlineQueue.submit<NoteResponse>({
    method: 'POST', path: `/api/crm/customers/${customerId}/notes`, body: { content }, key,
    label: t('offline.noteLabel', { content: short(content) }),
  }), (r) => r.note);
}

/** Complete or reopen a task, with the version the phone knows (a stale one is refused with 409). */
export async function saveTaskStatus(task: Task, status: TaskStatus): Promise<Submitted<Task>> {
  const label = t(status === 'completed' ? 'offline.completeLabel' : 'offline.reopenLabel', { title: short(task.title) });
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
