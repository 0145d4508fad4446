import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Task, TaskPriority, TaskStatus, TaskTitleKey, TaskTitleParams, TaskType } from '@live-crm/shared-types';
import { iso } from './dto.js';

export class TaskModel extends Model<InferAttributes<TaskModel>, InferCreationAttributes<TaskModel>> {
  declare id: CreationOptional<number>;
  declare tenantId: number;
  declare teamId: number;
  declare customerId: number | null;
  declare title: string;
  /** Set when the server wrote the title (see Task); editing the title clears it. */
  declare titleKey: CreationOptional<TaskTitleKey | null>;
  declare titleParams: CreationOptional<TaskTitleParams | null>;
  declare description: string | null;
  declare type: CreationOptional<TaskType>;
  declare priority: CreationOptional<TaskPriority>;
  declare status: CreationOptional<TaskStatus>;
  declare dueAt: Date | null;
  declare remindAt: Date | null;
  /** Set when the reminder was claimed by a node; the claim makes it fire once. */
  declare remindedAt: CreationOptional<Date | null>;
  declare assigneeId: number | null;
  declare createdById: number;
  declare completedAt: CreationOptional<Date | null>;
  declare version: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof TaskModel {
    return TaskModel.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        tenantId: { type: DataTypes.INTEGER, allowNull: false },
        teamId: { type: DataTypes.INTEGER, allowNull: false },
        customerId: { type: DataTypes.INTEGER, allowNull: true },
        title: { type: DataTypes.STRING(200), allowNull: false },
        titleKey: { type: DataTypes.STRING(32), allowNull: true },
        titleParams: { type: DataTypes.JSONB, allowNull: true },
        description: { type: DataTypes.TEXT, allowNull: true },
        type: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'other' },
        priority: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'medium' },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
        dueAt: { type: DataTypes.DATE, allowNull: true },
        remindAt: { type: DataTypes.DATE, allowNull: true },
        remindedAt: { type: DataTypes.DATE, allowNull: true },
        assigneeId: { type: DataTypes.INTEGER, allowNull: true },
        createdById: { type: DataTypes.INTEGER, allowNull: false },
        completedAt: { type: DataTypes.DATE, allowNull: true },
        version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'tasks', underscored: true },
    );
  }

  toDto(): Task {
    return {
      id: this.id,
      teamId: this.teamId,
      customerId: this.customerId,
      title: this.title,
      titleKey: this.titleKey ?? null,
      titleParams: this.titleParams ?? null,
      description: this.description,
      type: this.type,
      priority: this.priority,
      status: this.status,
      dueAt: iso(this.dueAt),
      remindAt: iso(this.remindAt),
      assigneeId: this.assigneeId,
      createdById: this.createdById,
      completedAt: iso(this.completedAt),
      createdAt: this.createdAt.toISOString(),
      updatedAt: this.updatedAt.toISOString(),
      version: this.version,
    };
  }
}
