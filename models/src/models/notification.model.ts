import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Notification, NotificationText } from '@live-crm/shared-types';
import { iso } from './dto.js';

export class NotificationModel extends Model<InferAttributes<NotificationModel>, InferCreationAttributes<NotificationModel>> {
  declare id: CreationOptional<number>;
  declare tenantId: number;
  declare userId: number;
  declare kind: NotificationText['kind'];
  declare params: NotificationText['params'];
  /** Text written by the server before 0006 (older rows); null on rows stored as kind and params. */
  declare title: CreationOptional<string | null>;
  declare body: CreationOptional<string | null>;
  declare link: string | null;
  declare readAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof NotificationModel {
    return NotificationModel.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        tenantId: { type: DataTypes.INTEGER, allowNull: false },
        userId: { type: DataTypes.INTEGER, allowNull: false },
        kind: { type: DataTypes.STRING(32), allowNull: false },
        params: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
        title: { type: DataTypes.STRING(200), allowNull: true },
        body: { type: DataTypes.STRING(1000), allowNull: true },
        link: { type: DataTypes.STRING(300), allowNull: true },
        readAt: { type: DataTypes.DATE, allowNull: true },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'notifications', underscored: true, updatedAt: false },
    );
  }

  toDto(): Notification {
    // kind and params were stored together from one NotificationText.
    const text = { kind: this.kind, params: this.params } as NotificationText;
    return {
      id: this.id,
      ...text,
      title: this.title ?? null,
      body: this.body ?? null,
      link: this.link,
      at: this.createdAt.toISOString(),
      readAt: iso(this.readAt),
    };
  }
}
