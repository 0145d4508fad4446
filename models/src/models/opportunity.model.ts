import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';
import type { Opportunity } from '@live-crm/shared-types';
import type { CustomerModel } from './customer.model.js';
import type { UserModel } from './user.model.js';
import { iso } from './dto.js';

export class OpportunityModel extends Model<InferAttributes<OpportunityModel>, InferCreationAttributes<OpportunityModel>> {
  declare id: CreationOptional<number>;
  declare tenantId: number;
  declare teamId: number;
  declare customerId: number;
  declare title: string;
  /** BIGINT cents; pg hands BIGINT back as a string, the getter makes it a number. */
  declare valueCents: number;
  declare currency: CreationOptional<string>;
  declare stageId: number;
  declare ownerId: number | null;
  declare expectedCloseDate: string | null;
  declare closedAt: Date | null;
  declare version: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare customer?: NonAttribute<CustomerModel>;
  declare owner?: NonAttribute<UserModel | null>;

  static initModel(sequelize: Sequelize): typeof OpportunityModel {
    return OpportunityModel.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        tenantId: { type: DataTypes.INTEGER, allowNull: false },
        teamId: { type: DataTypes.INTEGER, allowNull: false },
        customerId: { type: DataTypes.INTEGER, allowNull: false },
        title: { type: DataTypes.STRING(200), allowNull: false },
        valueCents: {
          type: DataTypes.BIGINT,
          allowNull: false,
          get(this: OpportunityModel) {
            return Number(this.getDataValue('valueCents'));
          },
        },
        currency: { type: DataTypes.STRING(3), allowNull: false, defaultValue: 'CNY' },
        stageId: { type: DataTypes.INTEGER, allowNull: false },
        ownerId: { type: DataTypes.INTEGER, allowNull: true },
        expectedCloseDate: { type: DataTypes.DATEONLY, allowNull: true },
        closedAt: { type: DataTypes.DATE, allowNull: true },
        version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'opportunities', underscored: true },
    );
  }

  /** Needs `customer` and `owner` loaded (the pipeline service always includes them). */
  toDto(): Opportunity {
    return {
      id: this.id,
      teamId: this.teamId,
      customerId: this.customerId,
      customerName: this.customer?.name ?? '',
      title: this.title,
      valueCents: this.valueCents,
      currency: this.currency,
      stageId: this.stageId,
      ownerId: this.ownerId,
      ownerName: this.owner?.name ?? null,
      expectedCloseDate: this.expectedCloseDate,
      closedAt: iso(this.closedAt),
      createdAt: this.createdAt.toISOString(),
      updatedAt: this.updatedAt.toISOString(),
      version: this.version,
    };
  }
}
