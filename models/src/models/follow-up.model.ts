import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { FollowUp } from '@live-crm/shared-types';

export class FollowUpModel extends Model<InferAttributes<FollowUpModel>, InferCreationAttributes<FollowUpModel>> {
  declare id: CreationOptional<number>;
  declare tenantId: number;
  declare teamId: number;
  declare customerId: number;
  declare userId: number;
  declare taskId: number;
  declare scheduledAt: Date;
  declare notes: string | null;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof FollowUpModel {
    return FollowUpModel.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        tenantId: { type: DataTypes.INTEGER, allowNull: false },
        teamId: { type: DataTypes.INTEGER, allowNull: false },
        customerId: { type: DataTypes.INTEGER, allowNull: false },
        userId: { type: DataTypes.INTEGER, allowNull: false },
        taskId: { type: DataTypes.INTEGER, allowNull: false },
        scheduledAt: { type: DataTypes.DATE, allowNull: false },
        notes: { type: DataTypes.TEXT, allowNull: true },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'follow_ups', underscored: true, updatedAt: false },
    );
  }

  toDto(): FollowUp {
    return {
      id: this.id,
      teamId: this.teamId,
      customerId: this.customerId,
      userId: this.userId,
      taskId: this.taskId,
      scheduledAt: this.scheduledAt.toISOString(),
      notes: this.notes,
      createdAt: this.createdAt.toISOString(),
    };
  }
}
