import type { Database } from '@live-crm/models';
import type { Customer } from '@live-crm/shared-types';
import type { Session } from '../tasks/sessions.js';

/** A customer of the caller's team in the pool, seeded or sent there now by its owner. */
export async function poolCustomer(db: Database, owner: Session, name: string): Promise<Customer> {
  const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const created = await owner.send('POST', '/api/crm/customers', { name, phone, email: `${name.toLowerCase()}@example.com` });
  if (created.status !== 201) throw new Error(`create ${name}: ${created.status} ${JSON.stringify(created.body)}`);
  const released = await owner.send('POST', `/api/crm/customers/${created.body.customer.id}/release`, { reason: '测试：放回公海' });
  if (released.status !== 200) throw new Error(`release ${name}: ${released.status} ${JSON.stringify(released.body)}`);
  return (await db.models.Customer.findByPk(created.body.customer.id))!.toDto();
}

/** The phone number as reps see it until the customer is claimed. */
export const maskedPhone = (phone: string): string => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

/**
 * Makes a customer look untouched for `days`: created, owned, its activities and notes logged then,
 * never contacted; warned `warnedDaysAgo` days ago, or not at all.
 */
export async function ageCustomer(db: Database, id: number, days: number, warnedDaysAgo: number | null = null): Promise<void> {
  const replacements = { id, days, warned: warnedDaysAgo };
  await db.sequelize.query(
    `UPDATE customers SET created_at = now() - make_interval(days => :days), owned_since = now() - make_interval(days => :days),
            last_contact_at = NULL,
            recycle_warned_at = CASE WHEN CAST(:warned AS int) IS NULL THEN NULL ELSE now() - make_interval(days => CAST(:warned AS int)) END
      WHERE id = :id`,
    { replacements },
  );
  for (const table of ['activities', 'notes'] as const) {
    await db.sequelize.query(`UPDATE ${table} SET created_at = now() - make_interval(days => :days) WHERE customer_id = :id`, {
      replacements,
    });
  }
}
