import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { CustomerStatus } from '@live-crm/shared-types';

/** A row's values as checked: trimmed, e-mail lower-cased, status as its value, blanks null. */
export interface ImportRowData {
  name: string;
  company: string | null;
  phone: string | null;
  email: string | null;
  status: CustomerStatus | null;
  address: string | null;
}

/**
 * A row of an import that can be written: `valid` (a new customer) or `duplicate` of an existing
 * customer (`targetCustomerId`, `otherTeam` when the importer may not see it) or of an earlier row.
 */
export class ImportRowModel extends Model<InferAttributes<ImportRowModel>, InferCreationAttributes<ImportRowModel>> {
  declare importId: number;
  declare rowNumber: number;
  declare kind: 'valid' | 'duplicate';
  declare data: ImportRowData;
  declare phoneKey: string | null;
  declare targetCustomerId: number | null;
  declare targetRow: number | null;
  declare otherTeam: CreationOptional<boolean>;
  /** Its phone and e-mail match two different records: merged without touching either. */
  declare conflict: CreationOptional<boolean>;

  static initModel(sequelize: Sequelize): typeof ImportRowModel {
    return ImportRowModel.init(
      {
        importId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
        rowNumber: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
        kind: { type: DataTypes.STRING(16), allowNull: false },
        data: { type: DataTypes.JSONB, allowNull: false },
        phoneKey: { type: DataTypes.STRING(32), allowNull: true },
        targetCustomerId: { type: DataTypes.INTEGER, allowNull: true },
        targetRow: { type: DataTypes.INTEGER, allowNull: true },
        otherTeam: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        conflict: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      },
      { sequelize, tableName: 'import_rows', underscored: true, timestamps: false },
    );
  }
}
