import type { Communication, Customer, CustomerInput, CustomerListResponse, Message, Note, User } from '@live-crm/shared-types';
import { devLogin, http } from '../../realtime-server/test/support/clients.js';

/** A teammate working on customers from another phone, through plain REST. */
export async function crmTeammate(serverUrl: string, login: string) {
  const { token, user } = await devLogin(serverUrl, login);
  const call = async <T>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> => {
    const res = await http<T>(serverUrl, method, path, { token, ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  return {
    token,
    user: user as User,
    call,
    list: (query = '') => call<CustomerListResponse & { nextCursor?: string | null }>('GET', `/api/crm/customers${query}`),
    get: async (id: number) => (await call<{ customer: Customer }>('GET', `/api/crm/customers/${id}`)).customer,
    create: async (input: CustomerInput) => (await call<{ customer: Customer }>('POST', '/api/crm/customers', input)).customer,
    update: async (c: Customer, patch: Partial<CustomerInput>) =>
      (await call<{ customer: Customer }>('PATCH', `/api/crm/customers/${c.id}`, { ...patch, version: c.version })).customer,
    addNote: async (customerId: number, content: string) =>
      (await call<{ note: Note }>('POST', `/api/crm/customers/${customerId}/notes`, { content })).note,
    notes: async (customerId: number) => (await call<{ notes: Note[] }>('GET', `/api/crm/customers/${customerId}/notes`)).notes,
    sendMessage: async (customerId: number, message: string) =>
      (await call<{ message: Message }>('POST', '/api/crm/messages', { customerId, message, type: 'text' })).message,
    messages: async (customerId: number) =>
      (await call<{ messages: Message[] }>('GET', `/api/crm/customers/${customerId}/messages`)).messages,
    communications: async (customerId: number) =>
      (await call<{ communications: Communication[] }>('GET', `/api/crm/customers/${customerId}/communications`)).communications,
  };
}

export type CrmTeammate = Awaited<ReturnType<typeof crmTeammate>>;

/** A unique, valid mainland mobile number for customers a test creates. */
let phoneSeq = 0;
export function freshPhone(): string {
  phoneSeq += 1;
  return `139${String(Date.now() % 1e6).padStart(6, '0')}${String(phoneSeq).padStart(2, '0')}`;
}
