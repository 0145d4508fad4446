import type { AnyTeamEvent, ImportProgress, NotificationPayload } from '@live-crm/shared-types';
import type { Owners } from './audience.js';

/** A committed team fact, ready to fan out. */
export interface Publication {
  envelope: AnyTeamEvent;
  /** Users who also get the envelope in their `user:<id>` room (e.g. a task's new assignee). */
  alsoToUsers: number[];
  /**
   * null: the whole team gets it (one room broadcast). A list (a team in `owner` visibility): these
   * users, the team's managers and admins get the envelope; every other member gets `event:redacted`.
   */
  audience: Owners;
}

export interface UserNotice {
  userId: number;
  notification: NotificationPayload;
}

/** How far an import's check has come, for its uploader's phones only. */
export interface ProgressNotice {
  userId: number;
  progress: ImportProgress;
}

type Listener<T> = (value: T) => void;

/**
 * In-process hand-off between domain services (which only publish after commit) and the
 * Socket.IO layer (which owns rooms and the Redis fan-out).
 */
export function createEventBus() {
  const published = new Set<Listener<Publication>>();
  const notified = new Set<Listener<UserNotice>>();
  const progressed = new Set<Listener<ProgressNotice>>();
  const subscribe = <T>(set: Set<Listener<T>>, fn: Listener<T>) => {
    set.add(fn);
    return () => void set.delete(fn);
  };
  return {
    publish(p: Publication): void {
      for (const fn of published) fn(p);
    },
    notify(n: UserNotice): void {
      for (const fn of notified) fn(n);
    },
    progress(p: ProgressNotice): void {
      for (const fn of progressed) fn(p);
    },
    onPublish: (fn: Listener<Publication>) => subscribe(published, fn),
    onNotify: (fn: Listener<UserNotice>) => subscribe(notified, fn),
    onProgress: (fn: Listener<ProgressNotice>) => subscribe(progressed, fn),
  };
}

export type EventBus = ReturnType<typeof createEventBus>;
