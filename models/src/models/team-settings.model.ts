import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { TeamSettings, Visibility } from '@live-crm/shared-types';

/** A team's visibility and pool rules; a team without a row has the defaults (`team`, no limits). */
export class TeamSettingsModel extends Model<InferAttributes<TeamSettingsModel>, InferCreationAttributes<TeamSettingsModel>> {
  declare teamId: number;
  declare visibility: CreationOptional<Visibility>;
  declare recycleAfterDays: number | null;
  declare claimLimitPerDay: number | null;
  declare holdLimit: number | null;
  declare version: CreationOptional<number>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof TeamSettingsModel {
    return TeamSettingsModel.init(
      {
        teamId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
        visibility: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'team' },
        recycleAfterDays: { type: DataTypes.INTEGER, allowNull: true },
        claimLimitPerDay: { type: DataTypes.INTEGER, allowNull: true },
        holdLimit: { type: DataTypes.INTEGER, allowNull: true },
        version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'team_settings', underscored: true, createdAt: false },
    );
  }

  toDto(): TeamSettings {
    return {
      teamId: this.teamId,
      visibility: this.visibility,
      recycleAfterDays: this.recycleAfterDays,
      claimLimitPerDay: this.claimLimitPerDay,
      holdLimit: this.holdLimit,
      version: this.version,
    };
  }
}
