import type { AnyCommand } from '@live-crm/shared-types';
import { commandFromRequest } from './commands';

/** One command waiting in the offline queue (wx storage, per user). */
export interface QueuedCommand {
  /** the Idempotency-Key, made once when the user acted */
  key: string;
  command: AnyCommand;
  createdAt: string;
  /** what the user did, in their words: the pending list and a refusal message */
  label: string;
  /** sends so far (a failed one may still have reached the server) */
  attempts: number;
}

/** What an app version before commands queued: the request itself, keyed by `id`. */
interface QueuedRequest {
  id: string;
  method: string;
  path: string;
  body?: Record<string, unknown>;
  createdAt: string;
  label: string;
  attempts: number;
}

function isQueuedCommand(value: unknown): value is QueuedCommand {
  const v = value as Partial<QueuedCommand> | null;
  return !!v && typeof v.key === 'string' && !!v.command && typeof (v.command as Partial<AnyCommand>).type === 'string';
}

function isQueuedRequest(value: unknown): value is QueuedRequest {
  const v = value as Partial<QueuedRequest> | null;
  return !!v && typeof v.id === 'string' && typeof v.path === 'string' && typeof v.method === 'string';
}

/** The stored queue as commands; `upgraded` when an older item was rewritten, so the caller stores the new shape once. */
export function upgradeQueued(stored: unknown): { items: QueuedCommand[]; upgraded: boolean } {
  if (!Array.isArray(stored)) return { items: [], upgraded: false };
  let upgraded = false;
  const items: QueuedCommand[] = [];
  for (const value of stored) {
    if (isQueuedCommand(value)) {
      items.push(value);
      continue;
    }
    if (!isQueuedRequest(value)) continue;
    upgraded = true;
    const command = commandFromRequest(value.method, value.path, value.body);
    // Same Idempotency-Key: if the old app's send did arrive, the replay gets its first answer.
    if (command) items.push({ key: value.id, command, createdAt: value.createdAt, label: value.label, attempts: value.attempts });
    else console.warn('[offline-queue] dropped a queued request no command matches', value.method, value.path);
  }
  return { items, upgraded };
}
