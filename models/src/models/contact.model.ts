import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Contact, ContactRole } from '@live-crm/shared-types';

export class ContactModel extends Model<InferAttributes<ContactModel>, InferCreationAttributes<ContactModel>> {
  declare id: CreationOptional<number>;
  declare tenantId: number;
  declare teamId: number;
  declare customerId: number;
  declare name: string;
  declare title: string | null;
  declare phone: string | null;
  declare email: string | null;
  declare wechat: string | null;
  declare role: ContactRole;
  declare primary: boolean;
  declare version: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof ContactModel {
    return ContactModel.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        tenantId: { type: DataTypes.INTEGER, allowNull: false },
        teamId: { type: DataTypes.INTEGER, allowNull: false },
        customerId: { type: DataTypes.INTEGER, allowNull: false },
        name: { type: DataTypes.STRING(120), allowNull: false },
        title: { type: DataTypes.STRING(120), allowNull: true },
        phone: { type: DataTypes.STRING(32), allowNull: true },
        email: { type: DataTypes.STRING(254), allowNull: true },
        wechat: { type: DataTypes.STRING(64), allowNull: true },
        role: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'other' },
        primary: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'contacts', underscored: true },
    );
  }

  toDto(): Contact {
    return {
      id: this.id,
      customerId: this.customerId,
      name: this.name,
      title: this.title,
      phone: this.phone,
      email: this.email,
      wechat: this.wechat,
      role: this.role,
      primary: this.primary,
      createdAt: this.createdAt.toISOString(),
      updatedAt: this.updatedAt.toISOString(),
      version: this.version,
    };
  }
}
