import { DataTypes, type QueryInterface } from 'sequelize';

const id = { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false };
const ref = (table: string, allowNull = false) => ({
  type: DataTypes.INTEGER,
  allowNull,
  references: { model: table, key: 'id' },
  onDelete: 'CASCADE',
});
const createdAt = { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW };
const stamps = { created_at: createdAt, updated_at: createdAt };

/** Core schema: tenancy, users, pipeline, customers and their timeline, tasks, the team event log. */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('tenants', {
    id,
    name: { type: DataTypes.STRING(120), allowNull: false },
    time_zone: { type: DataTypes.STRING(64), allowNull: false, defaultValue: 'Asia/Shanghai' },
    ...stamps,
  });
  await qi.createTable('teams', {
    id,
    tenant_id: ref('tenants'),
    name: { type: DataTypes.STRING(120), allowNull: false },
    last_seq: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    ...stamps,
  });
  await qi.createTable('users', {
    id,
    tenant_id: ref('tenants'),
    team_id: ref('teams', true),
    login: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    name: { type: DataTypes.STRING(120), allowNull: false },
    role: { type: DataTypes.STRING(16), allowNull: false },
    wechat_open_id: { type: DataTypes.STRING(64), allowNull: true, unique: true },
    ...stamps,
  });
  await qi.createTable('stages', {
    id,
    team_id: ref('teams'),
    name: { type: DataTypes.STRING(64), allowNull: false },
    probability: { type: DataTypes.INTEGER, allowNull: false },
    position: { type: DataTypes.INTEGER, allowNull: false },
    outcome: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'open' },
  });
  await qi.createTable('customers', {
    id,
    tenant_id: ref('tenants'),
    team_id: ref('teams'),
    name: { type: DataTypes.STRING(200), allowNull: false },
    company: DataTypes.STRING(200),
    phone: DataTypes.STRING(32),
    email: DataTypes.STRING(254),
    status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'lead' },
    owner_id: { ...ref('users', true), onDelete: 'SET NULL' },
    address: DataTypes.STRING(500),
    last_contact_at: DataTypes.DATE,
    version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
    ...stamps,
  });
  await qi.createTable('notes', {
    id,
    tenant_id: ref('tenants'),
    team_id: ref('teams'),
    customer_id: ref('customers'),
    author_id: ref('users'),
    content: { type: DataTypes.TEXT, allowNull: false },
    created_at: createdAt,
  });
  await qi.createTable('opportunities', {
    id,
    tenant_id: ref('tenants'),
    team_id: ref('teams'),
    customer_id: ref('customers'),
    title: { type: DataTypes.STRING(200), allowNull: false },
    value_cents: { type: DataTypes.BIGINT, allowNull: false },
    currency: { type: DataTypes.STRING(3), allowNull: false, defaultValue: 'CNY' },
    stage_id: { ...ref('stages'), onDelete: 'RESTRICT' },
    owner_id: { ...ref('users', true), onDelete: 'SET NULL' },
    expected_close_date: DataTypes.DATEONLY,
    closed_at: DataTypes.DATE,
    version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
    ...stamps,
  });
  await qi.createTable('tasks', {
    id,
    tenant_id: ref('tenants'),
    team_id: ref('teams'),
    customer_id: ref('customers', true),
    title: { type: DataTypes.STRING(200), allowNull: false },
    description: DataTypes.TEXT,
    type: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'other' },
    priority: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'medium' },
    status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
    due_at: DataTypes.DATE,
    remind_at: DataTypes.DATE,
    reminded_at: DataTypes.DATE,
    assignee_id: { ...ref('users', true), onDelete: 'SET NULL' },
    created_by_id: ref('users'),
    completed_at: DataTypes.DATE,
    version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
    ...stamps,
  });
  await qi.createTable('activities', {
    id,
    tenant_id: ref('tenants'),
    team_id: ref('teams'),
    customer_id: ref('customers', true),
    opportunity_id: ref('opportunities', true),
    actor_id: ref('users'),
    type: { type: DataTypes.STRING(16), allowNull: false },
    content: { type: DataTypes.TEXT, allowNull: false },
    occurred_at: { type: DataTypes.DATE, allowNull: false },
    created_at: createdAt,
  });
  await qi.createTable('messages', {
    id,
    tenant_id: ref('tenants'),
    team_id: ref('teams'),
    customer_id: ref('customers'),
    sender_id: ref('users'),
    type: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'text' },
    content: { type: DataTypes.TEXT, allowNull: false },
    created_at: createdAt,
  });
  await qi.createTable('communications', {
    id,
    tenant_id: ref('tenants'),
    team_id: ref('teams'),
    customer_id: ref('customers'),
    user_id: ref('users'),
    type: { type: DataTypes.STRING(16), allowNull: false },
    direction: { type: DataTypes.STRING(8), allowNull: false },
    status: { type: DataTypes.STRING(16), allowNull: false },
    phone_number: DataTypes.STRING(32),
    duration_sec: DataTypes.INTEGER,
    error: DataTypes.STRING(500),
    created_at: createdAt,
  });
  await qi.createTable('follow_ups', {
    id,
    tenant_id: ref('tenants'),
    team_id: ref('teams'),
    customer_id: ref('customers'),
    user_id: ref('users'),
    task_id: ref('tasks'),
    scheduled_at: { type: DataTypes.DATE, allowNull: false },
    notes: DataTypes.TEXT,
    created_at: createdAt,
  });
  await qi.createTable('notifications', {
    id,
    tenant_id: ref('tenants'),
    user_id: ref('users'),
    kind: { type: DataTypes.STRING(32), allowNull: false },
    title: { type: DataTypes.STRING(200), allowNull: false },
    body: { type: DataTypes.STRING(1000), allowNull: false },
    link: DataTypes.STRING(300),
    read_at: DataTypes.DATE,
    created_at: createdAt,
  });
  await qi.createTable('team_events', {
    team_id: { ...ref('teams'), primaryKey: true },
    seq: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
    event_id: { type: DataTypes.UUID, allowNull: false, unique: true },
    type: { type: DataTypes.STRING(40), allowNull: false },
    actor_id: { type: DataTypes.INTEGER, allowNull: false },
    data: { type: DataTypes.JSONB, allowNull: false },
    at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.createTable('idempotency_keys', {
    user_id: { ...ref('users'), primaryKey: true },
    key: { type: DataTypes.STRING(128), allowNull: false, primaryKey: true },
    request_hash: { type: DataTypes.STRING(64), allowNull: false },
    response: DataTypes.JSONB,
    created_at: createdAt,
  });

  await qi.addIndex('users', ['tenant_id', 'team_id']);
  await qi.addIndex('stages', ['team_id', 'position'], { unique: true });
  await qi.addIndex('customers', ['team_id', 'created_at', 'id']);
  await qi.addIndex('customers', ['tenant_id', 'phone']);
  await qi.addIndex('customers', ['tenant_id', 'email']);
  await qi.addIndex('notes', ['customer_id', 'created_at']);
  await qi.addIndex('opportunities', ['team_id', 'stage_id']);
  await qi.addIndex('tasks', ['team_id', 'due_at']);
  await qi.addIndex('tasks', ['assignee_id', 'status', 'due_at']);
  await qi.addIndex('tasks', ['remind_at'], { where: { reminded_at: null } });
  await qi.addIndex('activities', ['customer_id', 'occurred_at']);
  await qi.addIndex('activities', ['team_id', 'occurred_at']);
  await qi.addIndex('messages', ['customer_id', 'created_at']);
  await qi.addIndex('communications', ['customer_id', 'created_at']);
  await qi.addIndex('notifications', ['user_id', 'created_at']);
  await qi.addIndex('team_events', ['at']);
  await qi.addIndex('idempotency_keys', ['created_at']);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  const tables = [
    'idempotency_keys',
    'team_events',
    'notifications',
    'follow_ups',
    'communications',
    'messages',
    'activities',
    'tasks',
    'opportunities',
    'notes',
    'customers',
    'stages',
    'users',
    'teams',
    'tenants',
  ];
  for (const table of tables) await qi.dropTable(table);
}
