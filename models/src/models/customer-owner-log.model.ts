import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { OwnerChangeReason } from '@live-crm/shared-types';

/** One change of a customer's owner, with why (a release's note as typed); claims per day are counted here. */
export class CustomerOwnerLogModel extends Model<InferAttributes<CustomerOwnerLogModel>, InferCreationAttributes<CustomerOwnerLogModel>> {
  declare id: CreationOptional<number>;
  declare teamId: number;
  declare customerId: number;
  declare actorId: number;
  declare previousOwnerId: number | null;
  declare ownerId: number | null;
  declare reason: OwnerChangeReason;
  declare note: string | null;
  declare at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof CustomerOwnerLogModel {
    return CustomerOwnerLogModel.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        teamId: { type: DataTypes.INTEGER, allowNull: false },
        customerId: { type: DataTypes.INTEGER, allowNull: false },
        actorId: { type: DataTypes.INTEGER, allowNull: false },
        previousOwnerId: { type: DataTypes.INTEGER, allowNull: true },
        ownerId: { type: DataTypes.INTEGER, allowNull: true },
        reason: { type: DataTypes.STRING(16), allowNull: false },
        note: { type: DataTypes.TEXT, allowNull: true },
        at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
      },
      { sequelize, tableName: 'customer_owner_log', underscored: true, timestamps: false },
    );
  }
}
