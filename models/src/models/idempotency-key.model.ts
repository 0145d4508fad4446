import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** First answer to a mutation carrying `Idempotency-Key`, written in the mutation's own transaction. */
export class IdempotencyKeyModel extends Model<InferAttributes<IdempotencyKeyModel>, InferCreationAttributes<IdempotencyKeyModel>> {
  declare userId: number;
  declare key: string;
  declare requestHash: string;
  declare response: unknown;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof IdempotencyKeyModel {
    return IdempotencyKeyModel.init(
      {
        userId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
        key: { type: DataTypes.STRING(128), allowNull: false, primaryKey: true },
        requestHash: { type: DataTypes.STRING(64), allowNull: false },
        response: { type: DataTypes.JSONB, allowNull: true },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'idempotency_keys', underscored: true, updatedAt: false },
    );
  }
}
