import { Sequelize, type Options } from 'sequelize';
import { ActivityModel } from './models/activity.model.js';
import { AttachmentModel } from './models/attachment.model.js';
import { CommunicationModel } from './models/communication.model.js';
import { ContactModel } from './models/contact.model.js';
import { CustomerModel } from './models/customer.model.js';
import { FollowUpModel } from './models/follow-up.model.js';
import { IdempotencyKeyModel } from './models/idempotency-key.model.js';
import { ImportRowModel } from './models/import-row.model.js';
import { ImportModel } from './models/import.model.js';
import { InvitationModel } from './models/invitation.model.js';
import { MessageModel } from './models/message.model.js';
import { NoteModel } from './models/note.model.js';
import { NotificationModel } from './models/notification.model.js';
import { OpportunityModel } from './models/opportunity.model.js';
import { StageModel } from './models/stage.model.js';
import { SubscriptionConsentModel } from './models/subscription-consent.model.js';
import { TaskModel } from './models/task.model.js';
import { TeamEventModel } from './models/team-event.model.js';
import { TeamModel } from './models/team.model.js';
import { TenantModel } from './models/tenant.model.js';
import { UserModel } from './models/user.model.js';
import { TeamSettingsModel } from './models/team-settings.model.js';
import { TargetModel } from './models/target.model.js';
import { CustomerOwnerLogModel } from './models/customer-owner-log.model.js';

export interface Models {
  Tenant: typeof TenantModel;
  Team: typeof TeamModel;
  User: typeof UserModel;
  Stage: typeof StageModel;
  Customer: typeof CustomerModel;
  Note: typeof NoteModel;
  Opportunity: typeof OpportunityModel;
  Task: typeof TaskModel;
  Activity: typeof ActivityModel;
  Message: typeof MessageModel;
  Communication: typeof CommunicationModel;
  FollowUp: typeof FollowUpModel;
  Notification: typeof NotificationModel;
  TeamEvent: typeof TeamEventModel;
  IdempotencyKey: typeof IdempotencyKeyModel;
  SubscriptionConsent: typeof SubscriptionConsentModel;
  Import: typeof ImportModel;
  ImportRow: typeof ImportRowModel;
  Invitation: typeof InvitationModel;
  Contact: typeof ContactModel;
  Attachment: typeof AttachmentModel;
  TeamSettings: typeof TeamSettingsModel;
  Target: typeof TargetModel;
  CustomerOwnerLog: typeof CustomerOwnerLogModel;
}

export interface Database {
  sequelize: Sequelize;
  models: Models;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url: string;
  /** Max pooled connections; must equal PGlite's maxConnections when embedded. */
  poolMax?: number;
  /**
   * How long a pooled connection may sit unused before it is closed. A server keeps them (see
   * DATABASE_POOL_IDLE_MS): a new PostgreSQL backend's first statements cost tens of milliseconds.
   */
  poolIdleMs?: number;
  logging?: Options['logging'];
  /**
   * The server's TZ_DEFAULT, the zone of a tenant whose own is blank. Each session carries it
   * (`livecrm.default_time_zone`), so the database counts such a tenant's activity days in the
   * zone the server reads them in (migration 0013).
   */
  defaultTimeZone?: string;
}

export function createDatabase({ url, poolMax = 10, poolIdleMs = 10_000, logging = false, defaultTimeZone }: DatabaseOptions): Database {
  const sequelize = new Sequelize(url, {
    dialect: 'postgres',
    logging,
    pool: { max: poolMax, min: 0, idle: poolIdleMs, acquire: 30_000 },
    define: { underscored: true },
    hooks: {
      // Our statements are short. JIT compiling one costs more than running it: 270 ms for the
      // dashboard's per-day counts (generate_series is estimated at 1,000 rows), which run in 4 ms.
      afterConnect: async (connection) => {
        const client = connection as { query(sql: string, values?: unknown[]): Promise<unknown> };
        await client.query('SET jit = off');
        if (defaultTimeZone) await client.query("SELECT set_config('livecrm.default_time_zone', $1, false)", [defaultTimeZone]);
      },
    },
  });
  const models: Models = {
    Tenant: TenantModel.initModel(sequelize),
    Team: TeamModel.initModel(sequelize),
    User: UserModel.initModel(sequelize),
    Stage: StageModel.initModel(sequelize),
    Customer: CustomerModel.initModel(sequelize),
    Note: NoteModel.initModel(sequelize),
    Opportunity: OpportunityModel.initModel(sequelize),
    Task: TaskModel.initModel(sequelize),
    Activity: ActivityModel.initModel(sequelize),
    Message: MessageModel.initModel(sequelize),
    Communication: CommunicationModel.initModel(sequelize),
    FollowUp: FollowUpModel.initModel(sequelize),
    Notification: NotificationModel.initModel(sequelize),
    TeamEvent: TeamEventModel.initModel(sequelize),
    IdempotencyKey: IdempotencyKeyModel.initModel(sequelize),
    SubscriptionConsent: SubscriptionConsentModel.initModel(sequelize),
    Import: ImportModel.initModel(sequelize),
    ImportRow: ImportRowModel.initModel(sequelize),
    Invitation: InvitationModel.initModel(sequelize),
    Contact: ContactModel.initModel(sequelize),
    Attachment: AttachmentModel.initModel(sequelize),
    TeamSettings: TeamSettingsModel.initModel(sequelize),
    Target: TargetModel.initModel(sequelize),
    CustomerOwnerLog: CustomerOwnerLogModel.initModel(sequelize),
  };
  associate(models);
  return { sequelize, models, close: () => sequelize.close() };
}

function associate(m: Models): void {
  m.Opportunity.belongsTo(m.Customer, { as: 'customer', foreignKey: 'customerId' });
  m.Opportunity.belongsTo(m.User, { as: 'owner', foreignKey: 'ownerId' });
  m.Note.belongsTo(m.User, { as: 'author', foreignKey: 'authorId' });
  m.Activity.belongsTo(m.User, { as: 'actor', foreignKey: 'actorId' });
  m.Message.belongsTo(m.User, { as: 'sender', foreignKey: 'senderId' });
}
