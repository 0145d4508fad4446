import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { ImportApplied, ImportDuplicate, ImportReport, ImportRowError, ImportStatus } from '@live-crm/shared-types';

/** One uploaded customer sheet: its check's progress and report, then what its apply wrote. */
export class ImportModel extends Model<InferAttributes<ImportModel>, InferCreationAttributes<ImportModel>> {
  declare id: CreationOptional<number>;
  declare tenantId: number;
  declare teamId: number;
  declare createdBy: number;
  declare fileName: string;
  declare status: CreationOptional<ImportStatus>;
  declare total: number;
  declare processed: CreationOptional<number>;
  declare valid: CreationOptional<number>;
  declare duplicates: CreationOptional<number>;
  declare invalid: CreationOptional<number>;
  declare errors: CreationOptional<ImportRowError[]>;
  declare duplicateRows: CreationOptional<ImportDuplicate[]>;
  declare applied: CreationOptional<ImportApplied | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof ImportModel {
    return ImportModel.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        tenantId: { type: DataTypes.INTEGER, allowNull: false },
        teamId: { type: DataTypes.INTEGER, allowNull: false },
        createdBy: { type: DataTypes.INTEGER, allowNull: false },
        fileName: { type: DataTypes.STRING(255), allowNull: false },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'checking' },
        total: { type: DataTypes.INTEGER, allowNull: false },
        processed: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        valid: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        duplicates: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        invalid: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        errors: { type: DataTypes.JSONB, allowNull: false, defaultValue: [] },
        duplicateRows: { type: DataTypes.JSONB, allowNull: false, defaultValue: [] },
        applied: { type: DataTypes.JSONB, allowNull: true },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'imports', underscored: true },
    );
  }

  toDto(): ImportReport {
    return {
      id: this.id,
      status: this.status,
      fileName: this.fileName,
      teamId: this.teamId,
      total: this.total,
      processed: this.processed,
      valid: this.valid,
      duplicates: this.duplicates,
      invalid: this.invalid,
      errors: this.errors,
      duplicateRows: this.duplicateRows,
      createdBy: this.createdBy,
      createdAt: this.createdAt.toISOString(),
      applied: this.applied ?? null,
    };
  }
}
