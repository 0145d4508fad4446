import { randomBytes } from 'node:crypto';
import type { Database } from '@live-crm/models';
import type { User } from '@live-crm/shared-types';
import { photo, upload } from '../activities/uploads.js';
import { devLogin, http } from '../support/clients.js';
import { ready, upload as uploadSheet } from '../imports/sheets.js';

export const LOGINS = ['ray', 'rita', 'mia', 'will', 'wes', 'wendy', 'ada', 'olga', 'oscar'] as const;
export type Login = (typeof LOGINS)[number];

export interface Person {
  user: User;
  token: string;
}

/**
 * The victim is team 华东组 of 示范贸易有限公司: its records, and a marker string planted in its
 * customer, note, deal, task, activity and message so any response that leaks East data shows it.
 */
export interface Fixture {
  url: string;
  db: Database;
  people: Record<Login, Person>;
  teams: { east: number; west: number; north: number };
  east: {
    customerId: number;
    opportunityId: number;
    taskId: number;
    contactId: number;
    attachmentId: number;
    stageIds: number[];
    /** An invitation mia made to East (revoke answers 200 again once revoked). */
    invitationId: number;
    /** A rep of East who holds nothing, there to be deactivated (again and again: a repeat answers 200). */
    spareRepId: number;
    importId: number;
    /** Stock for the pool's routes: customers in the pool (claims take them), and `ray`'s to release. */
    pool: number[];
    held: number[];
  };
  marker: string;
  /** A checked East import (one new customer) that nobody applied yet: each call a different one. */
  nextImport(): number;
  /** A number no other request in this run uses (for unique titles and names). */
  unique(): number;
}

async function plantMarker(
  url: string,
  ray: Person,
  marker: string,
): Promise<{ customerId: number; opportunityId: number; taskId: number; contactId: number; attachmentId: number }> {
  const send = async (method: string, path: string, body: unknown) => {
    const res = await http(url, method, path, { token: ray.token, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const { customer } = await send('POST', '/api/crm/customers', { name: `${marker} customer`, company: `${marker} Co` });
  await send('POST', `/api/crm/customers/${customer.id}/notes`, { content: `${marker} note` });
  const { opportunity } = await send('POST', '/api/crm/opportunities', {
    customerId: customer.id,
    title: `${marker} deal`,
    valueCents: 123_400,
  });
  const { task } = await send('POST', '/api/crm/tasks', { title: `${marker} task`, customerId: customer.id });
  await send('POST', '/api/crm/activities', { customerId: customer.id, type: 'call', content: `${marker} call` });
  await send('POST', '/api/crm/messages', { customerId: customer.id, message: `${marker} message` });
  const { contact } = await send('POST', `/api/crm/customers/${customer.id}/contacts`, { name: `${marker} contact` });
  const uploaded = await upload(url, ray.token, photo(2));
  if (uploaded.status !== 201) throw new Error(`upload: ${uploaded.status} ${JSON.stringify(uploaded.body)}`);
  const attachmentId = uploaded.body.attachment.id;
  await send('POST', '/api/crm/activities', {
    customerId: customer.id,
    type: 'note',
    content: `${marker} photo`,
    attachmentIds: [attachmentId],
  });
  return { customerId: customer.id, opportunityId: opportunity.id, taskId: task.id, contactId: contact.id, attachmentId };
}

/** How many pool customers to claim and held customers to release the suites may use up. */
const STOCK = 24;

/**
 * Customers for the pool's routes, so a request can be built by reading, never by writing: `pool`
 * are in the victim team's pool (claims take them in turn), `held` are `ray`'s (releases take them).
 */
async function plantStock(url: string, ray: Person, manager: Person): Promise<{ pool: number[]; held: number[] }> {
  const send = async (who: Person, method: string, path: string, body: unknown) => {
    const res = await http(url, method, path, { token: who.token, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  // No daily or holding limit gets in the way of the suites' many claims.
  await send(manager, 'PATCH', '/api/crm/team/settings', { claimLimitPerDay: null, holdLimit: null });
  const pool: number[] = [];
  const held: number[] = [];
  for (let i = 0; i < STOCK; i++) {
    // No marker here: the pool is every teammate's to see.
    const a = (await send(ray, 'POST', '/api/crm/customers', { name: `Stock pool ${i}` })).customer.id as number;
    await send(ray, 'POST', `/api/crm/customers/${a}/release`, { reason: 'stock for the claim route' });
    pool.push(a);
    held.push((await send(ray, 'POST', '/api/crm/customers', { name: `Stock held ${i}` })).customer.id as number);
  }
  return { pool, held };
}

/** Plays the suites against another victim: `ray`, `rita` and `mia` stand for that team's rep, second rep and manager. */
export type Cast = Partial<Record<'ray' | 'rita' | 'mia', Login>>;

export async function loadFixture(url: string, db: Database, cast: Cast = {}): Promise<Fixture> {
  const people = {} as Record<Login, Person>;
  for (const login of LOGINS) {
    const { token, user } = await devLogin(url, login);
    people[login] = { token, user };
  }
  for (const [role, login] of Object.entries(cast)) people[role as Login] = people[login];
  const teams = { east: people.ray.user.teamId!, west: people.will.user.teamId!, north: people.olga.user.teamId! };
  const marker = `MARK${randomBytes(4).toString('hex')}`;
  const planted = await plantMarker(url, people.ray, marker);
  const stock = await plantStock(url, people.ray, people.mia);
  const stages = await db.models.Stage.findAll({ where: { teamId: teams.east }, order: [['position', 'ASC']] });
  const imports = await checkedImports(url, people.mia, marker);
  const invited = await http(url, 'POST', '/api/crm/invitations', { token: people.mia.token, body: { role: 'rep' } });
  if (invited.status !== 201) throw new Error(`invitation: ${invited.status} ${JSON.stringify(invited.body)}`);
  const spare = await db.models.User.create({
    tenantId: people.ray.user.tenantId,
    teamId: teams.east,
    login: `spare-${marker}`,
    name: '备用同事',
    role: 'rep',
  });
  let counter = 0;
  return {
    url,
    db,
    people,
    teams,
    marker,
    east: {
      ...planted,
      ...stock,
      stageIds: stages.map((s) => s.id),
      invitationId: invited.body.invitation.id,
      spareRepId: spare.id,
      importId: imports.shift()!,
    },
    nextImport: () => {
      const id = imports.shift();
      if (id === undefined) throw new Error('the fixture ran out of checked imports: make more in checkedImports');
      return id;
    },
    unique: () => ++counter,
  };
}

/** Imports mia uploaded and the server checked: the first named with the marker, then a pool to apply. */
async function checkedImports(url: string, mia: Person, marker: string): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < 11; i++) {
    const csv = `姓名,电话\r\n${marker} 导入${i},1379900${String(i).padStart(4, '0')}\r\n`;
    const res = await uploadSheet(url, mia.token, Buffer.from(csv), i === 0 ? `${marker}.csv` : `pool-${i}.csv`);
    if (res.status !== 202) throw new Error(`fixture upload: ${res.status} ${JSON.stringify(res.body)}`);
    ids.push(res.body.import.id);
  }
  for (const id of ids) await ready(url, mia.token, id);
  return ids;
}

/** Current row versions, read when a request is built so it is valid at that moment. */
export async function versionOf(db: Database, model: 'Opportunity' | 'Customer' | 'Task' | 'Contact', id: number): Promise<number> {
  const row = await (db.models[model] as unknown as { findByPk(id: number): Promise<{ version: number } | null> }).findByPk(id);
  if (!row) throw new Error(`${model} ${id} is gone`);
  return row.version;
}

/** An East opportunity's current stage and version, plus another open stage to move it to. */
export async function moveOf(fx: Fixture, id: number): Promise<{ stageId: number; version: number }> {
  const opp = await fx.db.models.Opportunity.findByPk(id);
  if (!opp) throw new Error(`opportunity ${id} is gone`);
  const open = fx.east.stageIds.slice(0, 4);
  return { stageId: open.find((s) => s !== opp.stageId)!, version: opp.version };
}

/** Who the East task should go to next: the other East rep, so every assign is a real change. */
export async function nextAssignee(fx: Fixture, taskId: number): Promise<number> {
  const task = await fx.db.models.Task.findByPk(taskId);
  const { ray, rita } = fx.people;
  return task?.assigneeId === ray.user.id ? rita.user.id : ray.user.id;
}

/** The first stock customer still in the pool (a claim takes it) / still held by `ray` (a release returns it). */
export async function stockOf(fx: Fixture, which: 'pool' | 'held'): Promise<number> {
  const rows = await fx.db.models.Customer.findAll({
    where: { id: fx.east[which] },
    attributes: ['id', 'ownerId'],
    order: [['id', 'ASC']],
  });
  const pick = rows.find((r) => (which === 'pool' ? r.ownerId === null : r.ownerId === fx.people.ray.user.id));
  if (!pick) throw new Error(`no ${which} customer left in the fixture's stock`);
  return pick.id;
}

/** Who an East record should go to next: the other East rep, so every reassignment is a real change. */
export async function nextOwner(fx: Fixture, model: 'Customer' | 'Opportunity', id: number): Promise<number> {
  const row = await (fx.db.models[model] as unknown as { findByPk(id: number): Promise<{ ownerId: number | null } | null> }).findByPk(id);
  const { ray, rita } = fx.people;
  return row?.ownerId === ray.user.id ? rita.user.id : ray.user.id;
}
