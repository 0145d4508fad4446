import { DataTypes, type QueryInterface } from 'sequelize';

const id = { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false };
const ref = (table: string, allowNull = false, onDelete = 'CASCADE') => ({
  type: DataTypes.INTEGER,
  allowNull,
  references: { model: table, key: 'id' },
  onDelete,
});
const createdAt = { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW };

/**
 * The daily record (ARCHITECTURE 9.3): contacts under a customer, photos stored in PostgreSQL (so
 * every node serves them), and an activity's contact, place and mentioned users.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('contacts', {
    id,
    tenant_id: ref('tenants'),
    team_id: ref('teams'),
    customer_id: ref('customers'),
    name: { type: DataTypes.STRING(120), allowNull: false },
    title: { type: DataTypes.STRING(120), allowNull: true },
    phone: { type: DataTypes.STRING(32), allowNull: true },
    email: { type: DataTypes.STRING(254), allowNull: true },
    wechat: { type: DataTypes.STRING(64), allowNull: true },
    role: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'other' },
    primary: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
    created_at: createdAt,
    updated_at: createdAt,
  });
  await qi.addIndex('contacts', ['customer_id']);
  // At most one primary contact per customer; the service clears the old one in the same transaction.
  await qi.addIndex('contacts', ['customer_id'], { unique: true, where: { primary: true }, name: 'contacts_one_primary' });

  await qi.addColumn('activities', 'contact_id', ref('contacts', true, 'SET NULL'));
  await qi.addColumn('activities', 'location', { type: DataTypes.JSONB, allowNull: true });
  await qi.addColumn('activities', 'mentions', { type: DataTypes.ARRAY(DataTypes.INTEGER), allowNull: false, defaultValue: [] });
  // The visit log reads a team's visits by time.
  await qi.addIndex('activities', ['team_id', 'type', 'occurred_at'], { name: 'activities_team_type_time' });

  await qi.createTable('attachments', {
    id,
    tenant_id: ref('tenants'),
    team_id: ref('teams'),
    uploader_id: ref('users'),
    // Null until an activity takes it; only its uploader may read it until then.
    activity_id: ref('activities', true),
    mime: { type: DataTypes.STRING(16), allowNull: false },
    size: { type: DataTypes.INTEGER, allowNull: false },
    data: { type: DataTypes.BLOB, allowNull: false },
    created_at: createdAt,
  });
  await qi.addIndex('attachments', ['activity_id']);
  await qi.addIndex('attachments', ['uploader_id', 'created_at']);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('attachments');
  await qi.removeIndex('activities', 'activities_team_type_time');
  await qi.removeColumn('activities', 'mentions');
  await qi.removeColumn('activities', 'location');
  await qi.removeColumn('activities', 'contact_id');
  await qi.dropTable('contacts');
}
