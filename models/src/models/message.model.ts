import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';
import type { Message, MessageType } from '@live-crm/shared-types';
import type { UserModel } from './user.model.js';

export class MessageModel extends Model<InferAttributes<MessageModel>, InferCreationAttributes<MessageModel>> {
  declare id: CreationOptional<number>;
  declare tenantId: number;
  declare teamId: number;
  declare customerId: number;
  declare senderId: number;
  declare type: MessageType;
  declare content: string;
  declare createdAt: CreationOptional<Date>;
  declare sender?: NonAttribute<UserModel>;

  static initModel(sequelize: Sequelize): typeof MessageModel {
    return MessageModel.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        tenantId: { type: DataTypes.INTEGER, allowNull: false },
        teamId: { type: DataTypes.INTEGER, allowNull: false },
        customerId: { type: DataTypes.INTEGER, allowNull: false },
        senderId: { type: DataTypes.INTEGER, allowNull: false },
        type: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'text' },
        content: { type: DataTypes.TEXT, allowNull: false },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'messages', underscored: true, updatedAt: false },
    );
  }

  toDto(senderName = this.sender?.name ?? ''): Message {
    return {
      id: this.id,
      teamId: this.teamId,
      customerId: this.customerId,
      senderId: this.senderId,
      senderName,
      type: this.type,
      content: this.content,
      createdAt: this.createdAt.toISOString(),
    };
  }
}
