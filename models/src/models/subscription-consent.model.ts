import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** One-time WeChat subscription consents a user has left for one template. */
export class SubscriptionConsentModel extends Model<
  InferAttributes<SubscriptionConsentModel>,
  InferCreationAttributes<SubscriptionConsentModel>
> {
  declare userId: number;
  declare templateId: string;
  declare remaining: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof SubscriptionConsentModel {
    return SubscriptionConsentModel.init(
      {
        userId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
        templateId: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
        remaining: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'subscription_consents', underscored: true },
    );
  }
}
