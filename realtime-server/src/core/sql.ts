import type { Sequelize } from 'sequelize';
import { AppError } from './app-error.js';

/** The slice of a node-postgres client this needs; Sequelize's postgres pool hands out `pg` clients. */
interface PgClient {
  query<T>(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: T[] }>;
}

/** A PostgreSQL error: its SQLSTATE and, for constraint violations, the constraint. */
export interface PgError extends Error {
  code?: string;
  constraint?: string;
}

/**
 * Named prepared statements on Sequelize's own pool, for the hot path where Sequelize's per-query
 * work and a transaction's BEGIN/COMMIT round trips cost more than the statement itself. A single
 * statement runs in its own transaction (autocommit), so when it returns, it has committed.
 */
export function createSqlRunner(sequelize: Sequelize) {
  const pool = sequelize.connectionManager;
  return async function query<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
    const client = (await pool.getConnection({ type: 'write' })) as PgClient;
    try {
      return (await client.query<T>({ name, text, values })).rows;
    } catch (err) {
      // A socket that failed under the query is an outage (503), never the caller's fault.
      if ((err as { syscall?: string }).syscall) throw new AppError('unavailable', 'The database is unavailable; please retry shortly');
      throw err;
    } finally {
      pool.releaseConnection(client);
    }
  };
}

export type SqlRunner = ReturnType<typeof createSqlRunner>;

export const isUniqueViolation = (err: unknown, constraint: string): boolean =>
  (err as PgError | null)?.code === '23505' && (err as PgError).constraint === constraint;
