import type { QueryInterface } from 'sequelize';

/**
 * Customer imports (ARCHITECTURE §9.5). The checked rows and the report live in PostgreSQL, so any
 * node answers the report and runs the apply, whichever node took the upload. Only rows that can be
 * written (new or duplicate) are kept; a bad row is its findings in `errors`.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  const run = (sql: string) => qi.sequelize.query(sql);
  await run(`CREATE TABLE imports (
    id serial PRIMARY KEY,
    tenant_id integer NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    team_id integer NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    created_by integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    file_name varchar(255) NOT NULL,
    status varchar(16) NOT NULL DEFAULT 'checking' CHECK (status IN ('checking', 'ready', 'applied', 'failed')),
    total integer NOT NULL,
    processed integer NOT NULL DEFAULT 0,
    valid integer NOT NULL DEFAULT 0,
    duplicates integer NOT NULL DEFAULT 0,
    invalid integer NOT NULL DEFAULT 0,
    errors jsonb NOT NULL DEFAULT '[]',
    duplicate_rows jsonb NOT NULL DEFAULT '[]',
    applied jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`);
  await run('CREATE INDEX imports_team_created ON imports (team_id, created_at)');
  // kind: 'valid' (a new customer) or 'duplicate' (of target_customer_id, or of the earlier target_row).
  await run(`CREATE TABLE import_rows (
    import_id integer NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    row_number integer NOT NULL,
    kind varchar(16) NOT NULL CHECK (kind IN ('valid', 'duplicate')),
    data jsonb NOT NULL,
    phone_key varchar(32),
    target_customer_id integer,
    target_row integer,
    other_team boolean NOT NULL DEFAULT false,
    conflict boolean NOT NULL DEFAULT false,
    PRIMARY KEY (import_id, row_number)
  )`);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.dropTable('import_rows');
  await qi.dropTable('imports');
}
