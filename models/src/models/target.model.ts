import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Target } from '@live-crm/shared-types';

/** A rep's won-value target for one month (YYYY-MM), in cents. */
export class TargetModel extends Model<InferAttributes<TargetModel>, InferCreationAttributes<TargetModel>> {
  declare id: CreationOptional<number>;
  declare teamId: number;
  declare userId: number;
  declare month: string;
  declare wonValueCents: number;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof TargetModel {
    return TargetModel.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        teamId: { type: DataTypes.INTEGER, allowNull: false },
        userId: { type: DataTypes.INTEGER, allowNull: false },
        month: { type: DataTypes.CHAR(7), allowNull: false },
        // BIGINT arrives as a string from pg; every value fits a double exactly (<= 10^13).
        wonValueCents: {
          type: DataTypes.BIGINT,
          allowNull: false,
          get(): number {
            return Number(this.getDataValue('wonValueCents'));
          },
        },
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'targets', underscored: true, createdAt: false },
    );
  }

  toDto(): Target {
    return {
      teamId: this.teamId,
      userId: this.userId,
      month: this.month,
      wonValueCents: this.wonValueCents,
      updatedAt: this.updatedAt.toISOString(),
    };
  }
}
