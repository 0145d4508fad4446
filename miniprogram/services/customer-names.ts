import type { CustomerResponse, Id } from '@live-crm/shared-types';
import { api } from './api';
import { onSessionCleared } from './session';

/**
 * Customer names for records that carry only a `customerId` (tasks, notes, messages in the team
 * feed): fetched once per customer, a few at a time (WeChat caps concurrent requests), remembered
 * for the session.
 */

const MAX_IN_FLIGHT = 4;
const known = new Map<Id, string>();
const pending = new Map<Id, Promise<string | null>>();
const queue: Array<() => void> = [];
let inFlight = 0;

onSessionCleared(() => {
  known.clear();
  pending.clear();
});

function slot<T>(work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const run = (): void => {
      inFlight += 1;
      work()
        .then(resolve, reject)
        .finally(() => {
          inFlight -= 1;
          queue.shift()?.();
        });
    };
    if (inFlight < MAX_IN_FLIGHT) run();
    else queue.push(run);
  });
}

/** Already known (from a customer event or an earlier fetch), without asking the server. */
export function knownCustomerName(id: Id | null): string | undefined {
  return id === null ? undefined : known.get(id);
}

export function rememberCustomer(customer: { id: Id; name: string }): void {
  known.set(customer.id, customer.name);
}

/** The customer's name; null when it cannot be read (deleted, another team, offline). */
export function customerName(id: Id): Promise<string | null> {
  const hit = known.get(id);
  if (hit !== undefined) return Promise.resolve(hit);
  let p = pending.get(id);
  if (!p) {
    p = slot(() => api.get<CustomerResponse>(`/api/crm/customers/${id}`))
      .then(
        ({ customer }) => {
          known.set(id, customer.name);
          return customer.name;
        },
        () => null,
      )
      .finally(() => pending.delete(id));
    pending.set(id, p);
  }
  return p;
}

/** Names of several customers at once; the ones that could not be read are left out. */
export async function customerNames(ids: Iterable<Id>): Promise<Map<Id, string>> {
  const unique = [...new Set(ids)];
  const names = await Promise.all(unique.map((id) => customerName(id)));
  const out = new Map<Id, string>();
  unique.forEach((id, i) => {
    const name = names[i];
    if (name) out.set(id, name);
  });
  return out;
}
