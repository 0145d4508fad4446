import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { Invitation, InvitedRole } from '@live-crm/shared-types';
import { iso } from './dto.js';

/** A way into a team; the members module is its only writer. */
export class InvitationModel extends Model<InferAttributes<InvitationModel>, InferCreationAttributes<InvitationModel>> {
  declare id: CreationOptional<number>;
  declare tenantId: number;
  declare teamId: number;
  declare role: InvitedRole;
  declare code: string;
  declare createdById: number;
  declare expiresAt: Date;
  declare maxUses: number;
  declare uses: CreationOptional<number>;
  declare revokedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof InvitationModel {
    return InvitationModel.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        tenantId: { type: DataTypes.INTEGER, allowNull: false },
        teamId: { type: DataTypes.INTEGER, allowNull: false },
        role: { type: DataTypes.STRING(16), allowNull: false },
        code: { type: DataTypes.STRING(64), allowNull: false, unique: true },
        createdById: { type: DataTypes.INTEGER, allowNull: false },
        expiresAt: { type: DataTypes.DATE, allowNull: false },
        maxUses: { type: DataTypes.INTEGER, allowNull: false },
        uses: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        revokedAt: { type: DataTypes.DATE, allowNull: true },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'invitations', underscored: true, updatedAt: false },
    );
  }

  toDto(): Invitation {
    return {
      id: this.id,
      code: this.code,
      teamId: this.teamId,
      role: this.role,
      expiresAt: this.expiresAt.toISOString(),
      maxUses: this.maxUses,
      uses: this.uses,
      revokedAt: iso(this.revokedAt),
      createdAt: this.createdAt.toISOString(),
      createdById: this.createdById,
    };
  }
}
