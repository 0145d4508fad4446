import type {
  Customer,
  CustomerInput,
  CustomerListQuery,
  CustomerListResponse,
  CustomerPatch,
  CustomerResponse,
  Id,
  Note,
  NotesResponse,
  TeamFeedResponse,
} from '@live-crm/shared-types';
import { api } from './api';
import type { ApiError } from './api';
import { send } from './commands';

/** REST contract section 5: customers and their notes. */

/** One page of the list; `nextCursor` (when the server gives one) continues exactly after its last row. */
export type CustomerPage = CustomerListResponse & { nextCursor?: string | null };

export function listCustomers(query: CustomerListQuery = {}): Promise<CustomerPage> {
  return api.get<CustomerPage>('/api/crm/customers', { ...query });
}

export async function getCustomer(id: Id): Promise<Customer> {
  return (await api.get<CustomerResponse>(`/api/crm/customers/${id}`)).customer;
}

export async function createCustomer(input: CustomerInput): Promise<Customer> {
  return (await send('customer.create', input)).customer;
}

/** A stale `version` answers 409 `conflict` with `current`; see conflictCustomer. */
export async function updateCustomer(id: Id, patch: CustomerPatch): Promise<Customer> {
  return (await send('customer.update', { ...patch, id })).customer;
}

export async function listNotes(customerId: Id, limit = 50): Promise<Note[]> {
  return (await api.get<NotesResponse>(`/api/crm/customers/${customerId}/notes`, { limit })).notes;
}

function isCustomer(value: unknown): value is Customer {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<Customer>;
  return typeof v.id === 'number' && typeof v.name === 'string' && typeof v.version === 'number';
}

/** The fresh record a 409 `conflict` carries. */
export function conflictCustomer(err: ApiError): Customer | null {
  return err.code === 'conflict' && isCustomer(err.current) ? err.current : null;
}

/**
 * A 409 `duplicate`: the customer who already has this phone or email. Another team's customer
 * comes without `current` (not ours to see, only that it exists), so `id` and `customer` are null.
 */
export function duplicateOf(err: ApiError): { id: Id | null; customer: Customer | null } | null {
  if (err.code !== 'duplicate') return null;
  const current = err.current as { id?: unknown } | null | undefined;
  if (!current || typeof current.id !== 'number') return { id: null, customer: null };
  return { id: current.id, customer: isCustomer(current) ? current : null };
}

/** Who last changed a customer's profile, from the team feed (a 409 does not say; the live envelope may lag). */
export async function lastCustomerActorOf(customerId: Id): Promise<Id | null> {
  try {
    const { events } = await api.get<TeamFeedResponse>('/api/crm/team/feed', { limit: 30 });
    const hit = events.find((e) => 'customer' in e.data && e.data.customer.id === customerId);
    return hit ? hit.actorId : null;
  } catch {
    return null;
  }
}
