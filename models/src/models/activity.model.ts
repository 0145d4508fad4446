import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';
import type { Activity, ActivityLocation, ActivityType, Attachment, StageChangeParams } from '@live-crm/shared-types';
import type { UserModel } from './user.model.js';

export class ActivityModel extends Model<InferAttributes<ActivityModel>, InferCreationAttributes<ActivityModel>> {
  declare id: CreationOptional<number>;
  declare tenantId: number;
  declare teamId: number;
  declare customerId: number | null;
  declare opportunityId: number | null;
  declare actorId: number;
  declare type: ActivityType;
  declare content: string;
  /** A stage change's deal and stages (see Activity); null for what a user logged. */
  declare params: CreationOptional<StageChangeParams | null>;
  declare contactId: CreationOptional<number | null>;
  declare location: CreationOptional<ActivityLocation | null>;
  declare mentions: CreationOptional<number[]>;
  declare occurredAt: Date;
  declare createdAt: CreationOptional<Date>;
  declare actor?: NonAttribute<UserModel>;

  static initModel(sequelize: Sequelize): typeof ActivityModel {
    return ActivityModel.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        tenantId: { type: DataTypes.INTEGER, allowNull: false },
        teamId: { type: DataTypes.INTEGER, allowNull: false },
        customerId: { type: DataTypes.INTEGER, allowNull: true },
        opportunityId: { type: DataTypes.INTEGER, allowNull: true },
        actorId: { type: DataTypes.INTEGER, allowNull: false },
        type: { type: DataTypes.STRING(16), allowNull: false },
        content: { type: DataTypes.TEXT, allowNull: false },
        params: { type: DataTypes.JSONB, allowNull: true },
        contactId: { type: DataTypes.INTEGER, allowNull: true },
        location: { type: DataTypes.JSONB, allowNull: true },
        mentions: { type: DataTypes.ARRAY(DataTypes.INTEGER), allowNull: false, defaultValue: [] },
        occurredAt: { type: DataTypes.DATE, allowNull: false },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'activities', underscored: true, updatedAt: false },
    );
  }

  /** `attachments` are built by the server (their `url` is on its public address). */
  toDto(actorName = this.actor?.name ?? '', attachments: Attachment[] = []): Activity {
    return {
      id: this.id,
      teamId: this.teamId,
      customerId: this.customerId,
      opportunityId: this.opportunityId,
      actorId: this.actorId,
      actorName,
      type: this.type,
      content: this.content,
      params: this.params ?? null,
      contactId: this.contactId ?? null,
      location: this.location ?? null,
      mentions: this.mentions ?? [],
      attachments,
      occurredAt: this.occurredAt.toISOString(),
      createdAt: this.createdAt.toISOString(),
    };
  }
}
