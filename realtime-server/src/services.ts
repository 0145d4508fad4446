import type { Logger } from 'pino';
import type { Database } from '@live-crm/models';
import type { Config } from './config.js';
import { createEventBus, type EventBus } from './core/event-bus.js';
import { createMutationRunner, createStatementRunner, createStoredAnswers } from './core/mutation.js';
import { createRightsHub } from './core/rights.js';
import { createSqlRunner } from './core/sql.js';
import { createActivityService } from './modules/activities/activity.service.js';
import { createAttachmentService } from './modules/attachments/attachment.service.js';
import { createContactService } from './modules/contacts/contact.service.js';
import { createCommunicationService } from './modules/communications/communication.service.js';
import { createCustomerService } from './modules/customers/customer.service.js';
import { createAnalyticsService } from './modules/analytics/analytics.service.js';
import { createAuthService } from './modules/auth/auth.service.js';
import { createTokenSigner } from './modules/auth/jwt.js';
import { createWechatClient } from './modules/auth/wechat.client.js';
import { createExportService } from './modules/export/export.service.js';
import { createExportSigner } from './modules/export/export.signer.js';
import { createImportService } from './modules/imports/import.service.js';
import { createInvitationsService } from './modules/members/invitations.service.js';
import { createMembersService } from './modules/members/members.service.js';
import { createNotificationsService } from './modules/notifications/notifications.service.js';
import { createPipelineService } from './modules/pipeline/pipeline.service.js';
import { createSyncService } from './modules/sync/sync.service.js';
import { createTasksService } from './modules/tasks/tasks.service.js';
import { createTeamSettingsService } from './modules/ownership/team-settings.service.js';
import { createVisibility } from './modules/ownership/visibility.js';
import { createTargetsService } from './modules/targets/targets.service.js';

/**
 * Composition root of the domain: one service per area, all writing through one mutation runner.
 * `publicUrl` is what attachment links are built on (PUBLIC_URL, else the node's own address).
 */
export function createServices(
  config: Config,
  db: Database,
  jwtSecret: string,
  bus: EventBus = createEventBus(),
  publicUrl: () => string = () => config.publicUrl ?? '',
  logger: Logger | undefined = undefined,
) {
  const mutate = createMutationRunner({ db, bus });
  const runStatement = createStatementRunner({ sql: createSqlRunner(db.sequelize), bus, stored: createStoredAnswers(db) });
  const wechat = createWechatClient(config.wechat);
  const reminderTemplateId = wechat.canSend ? config.reminders.templateId : undefined;
  const notifications = createNotificationsService({ db, mutate, reminderTemplateId });
  const visibility = createVisibility(db);
  const customers = createCustomerService({ db, mutate, visibility, notifications });
  const tasks = createTasksService({ db, mutate, notifications, defaultTimeZone: config.timeZone, visibility });
  const rights = createRightsHub();
  const auth = createAuthService({ db, signer: createTokenSigner(jwtSecret), wechat, devLogin: config.devLogin, rights });
  const pipeline = createPipelineService({ db, mutate, runStatement, visibility, owners: customers.owners, notifications });
  const communications = createCommunicationService({ db, mutate, customers, tasks });
  const attachments = createAttachmentService({ db, mutate, customers, publicUrl });
  const activities = createActivityService({
    db,
    mutate,
    customers,
    attachments,
    notifications,
    communications,
    actorFor: (userId) => auth.actorFor(userId),
  });
  return {
    bus,
    rights,
    wechat,
    auth,
    members: createMembersService({ db, mutate, rights, notifications, customers, pipeline, tasks }),
    invitations: createInvitationsService({ db, mutate, wechat, issue: auth.issue }),
    pipeline,
    visibility,
    teamSettings: createTeamSettingsService({ db, mutate, visibility }),
    targets: createTargetsService({ db, mutate, defaultTimeZone: config.timeZone }),
    analytics: createAnalyticsService({ db, eventRetentionDays: config.eventRetentionDays, defaultTimeZone: config.timeZone }),
    exports: createExportService({
      db,
      signer: createExportSigner(jwtSecret),
      actorFor: (userId) => auth.actorFor(userId),
      visibility,
      defaultTimeZone: config.timeZone,
    }),
    sync: createSyncService({
      db,
      visibility,
      maxEvents: config.syncMaxEvents,
      retentionDays: config.eventRetentionDays,
      idempotencyHours: config.retention.idempotencyHours,
    }),
    notifications,
    tasks,
    customers,
    communications,
    attachments,
    activities,
    contacts: createContactService({ db, mutate, customers }),
    imports: createImportService({ db, mutate, bus, visibility, ...(logger ? { logger } : {}) }),
  };
}

export type Services = ReturnType<typeof createServices>;
