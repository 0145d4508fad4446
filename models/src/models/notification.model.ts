import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Notification, NotificationKind } from '@live-crm/shared-types';
import { iso } from './dto.js';

export class NotificationModel extends Model<InferAttributes<NotificationModel>, InferCreationAttributes<NotificationModel>> {
  declare id: CreationOptional<number>;
  declare tenantId: number;
  declare userId: number;
  declare kind: NotificationKind;
  declare title: string;
  declare body: string;
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
        title: { type: DataTypes.STRING(200), allowNull: false },
        body: { type: DataTypes.STRING(1000), allowNull: false },
        link: { type: DataTypes.STRING(300), allowNull: true },
        readAt: { type: DataTypes.DATE, allowNull: true },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'notifications', underscored: true, updatedAt: false },
    );
  }

  toDto(): Notification {
    return {
      id: this.id, kind: this.kind, title: this.title, body: this.body, link: this.link,
      at: this.createdAt.toISOString(), readAt: iso(this.readAt),
    };
  }
}
