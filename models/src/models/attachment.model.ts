import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { AttachmentMime } from '@live-crm/shared-types';

/** A photo's bytes in PostgreSQL, so every node serves it. Its DTO (with `url`) is built by the server. */
export class AttachmentModel extends Model<InferAttributes<AttachmentModel>, InferCreationAttributes<AttachmentModel>> {
  declare id: CreationOptional<number>;
  declare tenantId: number;
  declare teamId: number;
  declare uploaderId: number;
  declare activityId: number | null;
  declare mime: AttachmentMime;
  declare size: number;
  declare data: Buffer;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof AttachmentModel {
    return AttachmentModel.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        tenantId: { type: DataTypes.INTEGER, allowNull: false },
        teamId: { type: DataTypes.INTEGER, allowNull: false },
        uploaderId: { type: DataTypes.INTEGER, allowNull: false },
        activityId: { type: DataTypes.INTEGER, allowNull: true },
        mime: { type: DataTypes.STRING(16), allowNull: false },
        size: { type: DataTypes.INTEGER, allowNull: false },
        data: { type: DataTypes.BLOB, allowNull: false },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'attachments', underscored: true, updatedAt: false },
    );
  }
}
