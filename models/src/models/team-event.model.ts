import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { AnyTeamEvent, TeamEventType } from '@live-crm/shared-types';

/** The team's gap-free event log: the source for `sync:resume` and the team feed. */
export class TeamEventModel extends Model<InferAttributes<TeamEventModel>, InferCreationAttributes<TeamEventModel>> {
  declare teamId: number;
  declare seq: number;
  declare eventId: string;
  declare type: TeamEventType;
  declare actorId: number;
  declare data: unknown;
  declare at: Date;
  /** Whose records the event is about; null: everyone's (the pool, team-wide facts). */
  declare owners: CreationOptional<number[] | null>;

  static initModel(sequelize: Sequelize): typeof TeamEventModel {
    return TeamEventModel.init(
      {
        teamId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
        seq: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
        eventId: { type: DataTypes.UUID, allowNull: false, unique: true },
        type: { type: DataTypes.STRING(40), allowNull: false },
        actorId: { type: DataTypes.INTEGER, allowNull: false },
        data: { type: DataTypes.JSONB, allowNull: false },
        at: { type: DataTypes.DATE, allowNull: false },
        owners: { type: DataTypes.ARRAY(DataTypes.INTEGER), allowNull: true },
      },
      { sequelize, tableName: 'team_events', underscored: true, timestamps: false },
    );
  }

  toEnvelope(): AnyTeamEvent {
    return {
      seq: this.seq,
      eventId: this.eventId,
      teamId: this.teamId,
      type: this.type,
      actorId: this.actorId,
      at: this.at.toISOString(),
      data: this.data,
    } as AnyTeamEvent;
  }
}
