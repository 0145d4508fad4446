import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Communication, CommunicationDirection, CommunicationStatus, CommunicationType } from '@live-crm/shared-types';

export class CommunicationModel extends Model<InferAttributes<CommunicationModel>, InferCreationAttributes<CommunicationModel>> {
  declare id: CreationOptional<number>;
  declare tenantId: number;
  declare teamId: number;
  declare customerId: number;
  declare userId: number;
  declare type: CommunicationType;
  declare direction: CommunicationDirection;
  declare status: CommunicationStatus;
  declare phoneNumber: string | null;
  declare durationSec: number | null;
  declare error: string | null;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof CommunicationModel {
    return CommunicationModel.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        tenantId: { type: DataTypes.INTEGER, allowNull: false },
        teamId: { type: DataTypes.INTEGER, allowNull: false },
        customerId: { type: DataTypes.INTEGER, allowNull: false },
        userId: { type: DataTypes.INTEGER, allowNull: false },
        type: { type: DataTypes.STRING(16), allowNull: false },
        direction: { type: DataTypes.STRING(8), allowNull: false },
        status: { type: DataTypes.STRING(16), allowNull: false },
        phoneNumber: { type: DataTypes.STRING(32), allowNull: true },
        durationSec: { type: DataTypes.INTEGER, allowNull: true },
        error: { type: DataTypes.STRING(500), allowNull: true },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'communications', underscored: true, updatedAt: false },
    );
  }

  toDto(): Communication {
    return {
      id: this.id,
      teamId: this.teamId,
      customerId: this.customerId,
      userId: this.userId,
      type: this.type,
      direction: this.direction,
      status: this.status,
      phoneNumber: this.phoneNumber,
      durationSec: this.durationSec,
      error: this.error,
      createdAt: this.createdAt.toISOString(),
    };
  }
}
