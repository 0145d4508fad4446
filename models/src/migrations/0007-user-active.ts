import { DataTypes, type QueryInterface } from 'sequelize';

/** A deactivated member keeps their rows (authorship, history) but can no longer sign in or connect. */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.addColumn('users', 'active', { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.removeColumn('users', 'active');
}
