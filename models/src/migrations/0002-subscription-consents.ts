import { DataTypes, Op, type QueryInterface } from 'sequelize';

/**
 * WeChat subscription consents: each `wx.requestSubscribeMessage` acceptance allows one message,
 * so they are counted per user and template and spent one per send.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  const now = { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW };
  await qi.createTable('subscription_consents', {
    user_id: {
      type: DataTypes.INTEGER,
      allowNull: false,
      primaryKey: true,
      references: { model: 'users', key: 'id' },
      onDelete: 'CASCADE',
    },
    template_id: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
    remaining: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    created_at: now,
    updated_at: now,
  });
  await qi.addConstraint('subscription_consents', {
    type: 'check',
    fields: ['remaining'],
    where: { remaining: { [Op.gte]: 0 } },
    name: 'subscription_consents_remaining_check',
  });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('subscription_consents');
}
