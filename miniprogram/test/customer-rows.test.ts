import type { Customer } from '@live-crm/shared-types';
import { afterEach, describe, expect, test } from 'vitest';
import { installWx, type WxHandles } from '../../test-support/wx/index';
import { resetLocale } from '../i18n/index';
import { CustomerRows, type ListFilter } from '../pages/customers/rows';

const filter: ListFilter = { keyword: '', status: 'all', sortBy: 'createdAt', scope: 'all', me: 2 };
const customer = (id: number): Customer => ({
  id,
  teamId: 1,
  name: `客户${id}`,
  company: null,
  phone: null,
  email: null,
  status: 'lead',
  ownerId: 2,
  address: null,
  lastContactAt: null,
  createdAt: `2026-01-0${id}T00:00:00Z`,
  updatedAt: `2026-01-0${id}T00:00:00Z`,
  version: 1,
});

let wx: WxHandles | null = null;
afterEach(() => wx?.uninstall());
const speaking = (language: string) => {
  wx = installWx({ language });
  resetLocale();
};

describe('the customer list total', () => {
  test('says how many there are, and counts a teammate’s new customer', () => {
    speaking('zh_CN');
    const rows = new CustomerRows(filter);
    rows.total = 1;
    rows.append([customer(1)]);
    expect(rows.totalText()).toBe('共 1 位客户');
    expect(rows.apply(customer(2), true)?.['totalText']).toBe('共 2 位客户');
  });

  test('past the count the server stops at, says "over" and does not count on', () => {
    for (const [language, text] of [
      ['zh_CN', '超过 10000 位客户'],
      ['en', 'Over 10000 customers'],
    ]) {
      speaking(language!);
      const rows = new CustomerRows(filter);
      Object.assign(rows, { total: 10_000, totalCapped: true });
      rows.append([customer(1)]);
      expect(rows.totalText()).toBe(text);
      expect(rows.apply(customer(2), true)?.['totalText']).toBe(text);
      wx?.uninstall();
      wx = null;
    }
  });
});
