import type { QueryInterface } from 'sequelize';

/**
 * Invitations into a team (ARCHITECTURE 9.1). `code` is the unguessable secret a join presents;
 * `uses` only ever rises through one conditional UPDATE, and the check keeps it within `max_uses`
 * whatever a writer does.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.sequelize.query(`
    CREATE TABLE invitations (
      id serial PRIMARY KEY,
      tenant_id integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      team_id integer NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
      role varchar(16) NOT NULL CHECK (role IN ('rep', 'manager')),
      code varchar(64) NOT NULL CONSTRAINT invitations_code_key UNIQUE,
      created_by_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      expires_at timestamptz NOT NULL,
      max_uses integer NOT NULL CHECK (max_uses BETWEEN 1 AND 50),
      uses integer NOT NULL DEFAULT 0,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT invitations_uses_check CHECK (uses BETWEEN 0 AND max_uses)
    )`);
  await qi.sequelize.query('CREATE INDEX invitations_team_created ON invitations (team_id, created_at DESC)');
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('invitations');
}
