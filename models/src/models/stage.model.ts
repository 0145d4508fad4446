import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Stage, StageKey } from '@live-crm/shared-types';

export class StageModel extends Model<InferAttributes<StageModel>, InferCreationAttributes<StageModel>> {
  declare id: CreationOptional<number>;
  declare teamId: number;
  /** A default stage's key (the phone names it in its language); null for a custom stage. */
  declare key: CreationOptional<StageKey | null>;
  declare name: string;
  declare probability: number;
  declare position: number;
  declare outcome: Stage['outcome'];

  static initModel(sequelize: Sequelize): typeof StageModel {
    return StageModel.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        teamId: { type: DataTypes.INTEGER, allowNull: false },
        key: { type: DataTypes.STRING(16), allowNull: true },
        name: { type: DataTypes.STRING(64), allowNull: false },
        probability: { type: DataTypes.INTEGER, allowNull: false },
        position: { type: DataTypes.INTEGER, allowNull: false },
        outcome: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'open' },
      },
      { sequelize, tableName: 'stages', underscored: true, timestamps: false },
    );
  }

  toDto(): Stage {
    const { id, teamId, key, name, probability, position, outcome } = this;
    return { id, teamId, key: key ?? null, name, probability, position, outcome };
  }
}
