import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Customer, CustomerStatus } from '@live-crm/shared-types';
import { phoneKey } from '../phone.js';
import { iso } from './dto.js';

export class CustomerModel extends Model<InferAttributes<CustomerModel>, InferCreationAttributes<CustomerModel>> {
  declare id: CreationOptional<number>;
  declare tenantId: number;
  declare teamId: number;
  declare name: string;
  declare company: string | null;
  /** As the user typed it, for display. */
  declare phone: string | null;
  /** `phoneKey(phone)`: E.164 where it can be placed; what duplicate checks and search compare. Kept by the hooks below. */
  declare phoneKey: CreationOptional<string | null>;
  declare email: string | null;
  declare status: CustomerStatus;
  declare ownerId: number | null;
  /** When the current owner got it (claim, reassign, handover): the recycle clock starts no earlier. */
  declare ownedSince: CreationOptional<Date | null>;
  /** The one warning before a recycle was sent; cleared when the customer changes hands. */
  declare recycleWarnedAt: CreationOptional<Date | null>;
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
        phoneKey: { type: DataTypes.STRING(32), allowNull: true },
        email: { type: DataTypes.STRING(254), allowNull: true },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'lead' },
        ownerId: { type: DataTypes.INTEGER, allowNull: true },
        ownedSince: { type: DataTypes.DATE, allowNull: true },
        recycleWarnedAt: { type: DataTypes.DATE, allowNull: true },
        address: { type: DataTypes.STRING(500), allowNull: true },
        lastContactAt: { type: DataTypes.DATE, allowNull: true },
        version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'customers',
        underscored: true,
        // Every writer (service, seed, import) gets the key from the one rule, in the same statement.
        hooks: {
          beforeSave: (c) => {
            if (c.changed('phone') || c.isNewRecord) c.phoneKey = phoneKey(c.phone);
          },
          beforeBulkCreate: (rows) => {
            for (const c of rows) c.phoneKey = phoneKey(c.phone);
          },
          beforeBulkUpdate: (options) => {
            // Sequelize hands the values to update in `attributes`, which its types leave out.
            const values = (options as { attributes?: Partial<CustomerModel> }).attributes;
            if (values && 'phone' in values) {
              values.phoneKey = phoneKey(values.phone);
              if (options.fields && !options.fields.includes('phoneKey')) options.fields.push('phoneKey');
            }
          },
        },
      },
    );
  }

  toDto(): Customer {
    return {
      id: this.id,
      teamId: this.teamId,
      name: this.name,
      company: this.company,
      phone: this.phone,
      email: this.email,
      status: this.status,
      ownerId: this.ownerId,
      address: this.address,
      lastContactAt: iso(this.lastContactAt),
      createdAt: this.createdAt.toISOString(),
      updatedAt: this.updatedAt.toISOString(),
      version: this.version,
    };
  }
}
