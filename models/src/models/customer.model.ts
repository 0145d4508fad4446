import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Customer, CustomerStatus } from '@live-crm/shared-types';
import { iso } from './dto.js';

export class CustomerModel extends Model<InferAttributes<CustomerModel>, InferCreationAttributes<CustomerModel>> {
  declare id: CreationOptional<number>;
  declare tenantId: number;
  declare teamId: number;
  declare name: string;
  declare company: string | null;
  declare phone: string | null;
  declare email: string | null;
  declare status: CustomerStatus;
  declare ownerId: number | null;
  declare address: string | null;
  declare lastContactAt: Date | null;
  declare version: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof CustomerModel {
    return CustomerModel.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        tenantId: { type: DataTypes.INTEGER, allowNull: false },
        teamId: { type: DataTypes.INTEGER, allowNull: false },
        name: { type: DataTypes.STRING(200), allowNull: false },
        company: { type: DataTypes.STRING(200), allowNull: true },
        phone: { type: DataTypes.STRING(32), allowNull: true },
        email: { type: DataTypes.STRING(254), allowNull: true },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'lead' },
        ownerId: { type: DataTypes.INTEGER, allowNull: true },
        address: { type: DataTypes.STRING(500), allowNull: true },
        lastContactAt: { type: DataTypes.DATE, allowNull: true },
        version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'customers', underscored: true },
    );
  }

  toDto(): Customer {
    return {
      id: this.id, teamId: this.teamId, name: this.name, company: this.company, phone: this.phone,
      email: this.email, status: this.status, ownerId: this.ownerId, address: this.address,
      lastContactAt: iso(this.lastContactAt), createdAt: this.createdAt.toISOString(),
      updatedAt: this.updatedAt.toISOString(), version: this.version,
    };
  }
}
