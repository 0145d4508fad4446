import type { CustomerListQuery, CustomerListResponse } from '@live-crm/shared-types';
import { api } from './api';

/** Only what the opportunity form needs (a customer to attach the deal to); the customers slice extends this. */
export function listCustomers(query: CustomerListQuery = {}): Promise<CustomerListResponse> {
  return api.get<CustomerListResponse>('/api/crm/customers', { ...query });
}
