import { seedDemoOrganisation, type Database, type DemoTeamSeed } from '@live-crm/models';
import type { Id } from '@live-crm/shared-types';
import type { Actor } from '../core/actor.js';
import { loadConfig, type Config } from '../config.js';
import { ActivityCreate } from '../modules/activities/activity.schemas.js';
import { CommunicationCreate, FollowUpCreate, MessageCreate } from '../modules/communications/communication.schemas.js';
import { ContactCreate } from '../modules/contacts/contact.schemas.js';
import { CustomerCreate, NoteCreate, ReleaseBody } from '../modules/customers/customer.schemas.js';
import { SettingsPatch } from '../modules/ownership/team-settings.schemas.js';
import { OpportunityCreate } from '../modules/pipeline/pipeline.schemas.js';
import { TaskCreate } from '../modules/tasks/tasks.schemas.js';
import { createServices, type Services } from '../services.js';
import { CONTACTS, DEALS, HISTORY, NOTES, PEOPLE, POOL_REASONS, TASKS, companyFor, contactFor, emailFor } from './demo.content.js';
import { demoPhoto } from './demo.photos.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SHANGHAI_OFFSET = 8 * HOUR;

/** Midnight today in Asia/Shanghai (no DST there), as an absolute time. */
function startOfShanghaiDay(now: number): number {
  return Math.floor((now + SHANGHAI_OFFSET) / DAY) * DAY - SHANGHAI_OFFSET;
}

interface TeamCtx {
  services: Services;
  team: DemoTeamSeed;
  n: number;
  manager: Actor;
  reps: Actor[];
  now: number;
}

async function actorOf(services: Services, userId: number): Promise<Actor> {
  const actor = await services.auth.actorFor(userId);
  if (!actor) throw new Error(`demo seed: user ${userId} vanished`);
  return actor;
}

/**
 * The contract's demo data (ARCHITECTURE section 4) on an empty database: the organisation first,
 * then every record through the same services and input schemas the API uses, so the seed holds
 * only what the product itself writes. Does nothing when a tenant already exists.
 */
export async function seedDemo(
  db: Database,
  { config = loadConfig({}), now = Date.now() }: { config?: Config; now?: number } = {},
): Promise<boolean> {
  const teams = await seedDemoOrganisation(db);
  if (!teams) return false;
  // A secret of its own: the seed signs nothing.
  const services = createServices(config, db, 'demo-seed-signs-no-tokens-0123456789abcdef');
  // Teams are independent; one at a time keeps the pool small (PGlite serves one connection).
  for (const [n, team] of teams.entries()) {
    const manager = await actorOf(services, team.managerId);
    const reps = await Promise.all(team.repIds.map((id) => actorOf(services, id)));
    await seedTeam({ services, team, n, manager, reps, now });
  }
  return true;
}

async function seedTeam(ctx: TeamCtx): Promise<void> {
  const customerIds = await seedCustomers(ctx);
  await seedDeals(ctx, customerIds);
  await seedTasks(ctx, customerIds);
  await seedHistory(ctx, customerIds);
  await seedPool(ctx, customerIds);
}

/**
 * The manager sets the pool's rules (and West's `owner` visibility); the last customers, who have no
 * deals or tasks, went back to the pool with the reason their rep gave.
 */
async function seedPool(ctx: TeamCtx, customerIds: Id[]): Promise<void> {
  const rules = SettingsPatch.parse({
    recycleAfterDays: 30,
    claimLimitPerDay: 5,
    holdLimit: 40,
    ...(ctx.team.visibility === 'owner' ? { visibility: 'owner' } : {}),
  });
  await ctx.services.teamSettings.update(ctx.manager, rules);
  for (const [k, reason] of POOL_REASONS.entries()) {
    const i = customerIds.length - 1 - k;
    const { reason: text } = ReleaseBody.parse({ reason });
    await ctx.services.customers.release(repFor(ctx, i), customerIds[i]!, text);
  }
}

/** The rep who owns customer `i` (customers are handed out in turn). */
const repFor = (ctx: TeamCtx, i: number): Actor => ctx.reps[i % ctx.reps.length]!;

async function seedCustomers(ctx: TeamCtx): Promise<Id[]> {
  const ids: Id[] = [];
  for (let i = 0; i < CONTACTS; i++) {
    const k = i + ctx.n * 7;
    const input = CustomerCreate.parse({
      name: contactFor(k),
      company: companyFor(k, i),
      phone: `13${String(800000000 + ctx.n * 1000 + i).padStart(9, '0')}`,
      email: emailFor(k, ctx.n),
      status: (['lead', 'prospect', 'active', 'inactive'] as const)[i % 4],
      address: `${['上海', '杭州', '苏州', '南京', '深圳', '广州', '成都', '武汉'][k % 8]}市工业路 ${i + 1} 号`,
    });
    ids.push((await ctx.services.customers.create(repFor(ctx, i), input)).id);
  }
  return ids;
}

/** 12 deals, each opened as a lead and moved stage by stage to where it stands today. */
async function seedDeals(ctx: TeamCtx, customerIds: Id[]): Promise<void> {
  const { stageIds } = ctx.team;
  const [lead, qualified, , , , lost] = stageIds;
  for (let i = 0; i < 12; i++) {
    const rep = repFor(ctx, i);
    const input = OpportunityCreate.parse({
      customerId: customerIds[i],
      title: DEALS[i % DEALS.length],
      valueCents: (20_000 + ((i * 37_000) % 480_000)) * 100,
      stageId: lead,
      expectedCloseDate: new Date(ctx.now + (i + 1) * 7 * DAY + SHANGHAI_OFFSET).toISOString().slice(0, 10),
    });
    let deal = await ctx.services.pipeline.create(rep, input);
    const target = i % stageIds.length;
    // Lost deals drop out after qualifying; the others walk the stages in order up to theirs.
    const path = stageIds[target] === lost ? [qualified!, lost!] : stageIds.slice(1, target + 1);
    for (const stageId of path) deal = (await ctx.services.pipeline.move(rep, { id: deal.id, stageId, version: deal.version })).opportunity;
  }
}

/** Each rep's own tasks: one overdue since yesterday, two due today, one next week. */
async function seedTasks(ctx: TeamCtx, customerIds: Id[]): Promise<void> {
  const today = startOfShanghaiDay(ctx.now);
  const due = [today - DAY + 15 * HOUR, today + 17 * HOUR, today + 20 * HOUR, today + 7 * DAY + 10 * HOUR];
  for (const [r, rep] of ctx.reps.entries()) {
    for (const [i, dueAt] of due.entries()) {
      const task = TASKS[i]!;
      // Nobody sets a reminder for a time already past.
      const remindAt = dueAt - 30 * 60_000 > ctx.now ? new Date(dueAt - 30 * 60_000).toISOString() : null;
      await ctx.services.tasks.create(
        rep,
        TaskCreate.parse({
          title: task.title,
          type: task.type,
          priority: i === 0 ? 'high' : 'medium',
          customerId: customerIds[i + r],
          dueAt: new Date(dueAt).toISOString(),
          remindAt,
        }),
      );
    }
  }
  // The manager books a follow-up visit with a key account later this week.
  await ctx.services.communications.scheduleFollowUp(
    ctx.manager,
    FollowUpCreate.parse({
      customerId: customerIds[4],
      scheduledDate: new Date(today + 3 * DAY + 10 * HOUR).toISOString(),
      notes: '带上新品样册，确认季度采购量',
    }),
  );
}

/** Two people at each of the first customers: the one who signs (primary) and the one who uses it. */
async function seedPeople(ctx: TeamCtx, customerIds: Id[]): Promise<Map<Id, Id>> {
  const primary = new Map<Id, Id>();
  for (let i = 0; i < 12; i++) {
    const customerId = customerIds[i]!;
    for (const [p, person] of PEOPLE.entries()) {
      const k = i * 2 + p + ctx.n * 5 + 3;
      const contact = await ctx.services.contacts.create(
        repFor(ctx, i),
        customerId,
        ContactCreate.parse({
          name: contactFor(k),
          title: person.title,
          phone: `139${String(10000000 + ctx.n * 1000 + i * 10 + p).padStart(8, '0')}`,
          wechat: `wx_${k}_${ctx.n}`,
          role: person.role,
          primary: person.primary,
        }),
      );
      if (person.primary) primary.set(customerId, contact.id);
    }
  }
  return primary;
}

/**
 * A month of typed records, newest last, as reps write them on the phone: visits with their place and
 * photos, the contact they spoke to; then notes, calls, messages. (No mentions or next steps: they
 * would put notifications and tasks in every test's inbox and task list.)
 */
async function seedHistory(ctx: TeamCtx, customerIds: Id[]): Promise<void> {
  const { services } = ctx;
  const contacts = await seedPeople(ctx, customerIds);
  for (let i = 29; i >= 0; i--) {
    const entry = HISTORY[i % HISTORY.length]!;
    const actor = i % 6 === 5 ? ctx.manager : repFor(ctx, i);
    const customerId = customerIds[i % customerIds.length]!;
    const photos = entry.place && i < 18 ? [demoPhoto(i), ...(i % 2 ? [demoPhoto(i + 3)] : [])] : [];
    const attachmentIds: Id[] = [];
    for (const data of photos) attachmentIds.push((await services.attachments.upload(actor, { mime: 'image/png', data })).id);
    await services.activities.log(
      actor,
      ActivityCreate.parse({
        customerId,
        type: entry.type,
        content: entry.content,
        contactId: contacts.get(customerId) ?? null,
        location: entry.place ?? null,
        attachmentIds,
        occurredAt: new Date(ctx.now - i * 11 * HOUR - HOUR).toISOString(),
      }),
    );
  }
  for (const [i, content] of NOTES.entries()) {
    await services.customers.addNote(repFor(ctx, i), customerIds[i]!, NoteCreate.parse({ content }).content);
  }
  for (let i = 0; i < 4; i++) {
    await services.communications.logCommunication(
      repFor(ctx, i),
      CommunicationCreate.parse({
        customerId: customerIds[i],
        type: 'call',
        direction: 'outbound',
        status: i === 3 ? 'missed' : 'completed',
        durationSec: i === 3 ? 0 : 90 + i * 75,
      }),
    );
  }
  await services.communications.sendMessage(
    repFor(ctx, 0),
    MessageCreate.parse({ customerId: customerIds[0], message: '客户下周二来公司看样品，谁有空一起接待？' }),
  );
  await services.communications.sendMessage(
    repFor(ctx, 1),
    MessageCreate.parse({ customerId: customerIds[0], message: '我可以，上午十点后都行。' }),
  );
}
