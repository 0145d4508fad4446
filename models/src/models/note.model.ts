import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';
import type { Note } from '@live-crm/shared-types';
import type { UserModel } from './user.model.js';

export class NoteModel extends Model<InferAttributes<NoteModel>, InferCreationAttributes<NoteModel>> {
  declare id: CreationOptional<number>;
  declare tenantId: number;
  declare teamId: number;
  declare customerId: number;
  declare authorId: number;
  declare content: string;
  declare createdAt: CreationOptional<Date>;
  declare author?: NonAttribute<UserModel>;

  static initModel(sequelize: Sequelize): typeof NoteModel {
    return NoteModel.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        tenantId: { type: DataTypes.INTEGER, allowNull: false },
        teamId: { type: DataTypes.INTEGER, allowNull: false },
        customerId: { type: DataTypes.INTEGER, allowNull: false },
        authorId: { type: DataTypes.INTEGER, allowNull: false },
        content: { type: DataTypes.TEXT, allowNull: false },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'notes', underscored: true, updatedAt: false },
    );
  }

  toDto(authorName = this.author?.name ?? ''): Note {
    return {
      id: this.id,
      customerId: this.customerId,
      authorId: this.authorId,
      authorName,
      content: this.content,
      createdAt: this.createdAt.toISOString(),
    };
  }
}
