import type { QueryInterface } from 'sequelize';

/**
 * Text the server used to write in Chinese is stored as a key plus parameters, so each phone renders
 * it in its own language: default stages get a `key`; notifications keep `kind` and gain `params`
 * (their old `title`/`body` stay on older rows only); a follow-up's task gets `title_key` and
 * `title_params`; a stage-change activity keeps its stages in `params`. Existing rows are keyed where their text is exactly what the server wrote.
 */
const STATEMENTS: Array<[up: string, down: string]> = [
  ['ALTER TABLE stages ADD COLUMN key varchar(16)', 'ALTER TABLE stages DROP COLUMN key'],
  [
    // A team that has two stages with a default name keys the first one only.
    `UPDATE stages s SET key = lower(trim(s.name))
      WHERE lower(trim(s.name)) IN ('lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost')
        AND NOT EXISTS (SELECT 1 FROM stages o WHERE o.team_id = s.team_id
                          AND lower(trim(o.name)) = lower(trim(s.name)) AND o.position < s.position)`,
    'SELECT 1',
  ],
  ['CREATE UNIQUE INDEX stages_team_key ON stages (team_id, key) WHERE key IS NOT NULL', 'DROP INDEX stages_team_key'],
  [
    `ALTER TABLE notifications ADD COLUMN params jsonb NOT NULL DEFAULT '{}'::jsonb,
       ALTER COLUMN title DROP NOT NULL, ALTER COLUMN body DROP NOT NULL`,
    // Rolled back, a new row shows its kind rather than nothing.
    `UPDATE notifications SET title = COALESCE(title, kind), body = COALESCE(body, '');
     ALTER TABLE notifications DROP COLUMN params,
       ALTER COLUMN title SET NOT NULL, ALTER COLUMN body SET NOT NULL`,
  ],
  [
    'ALTER TABLE tasks ADD COLUMN title_key varchar(32), ADD COLUMN title_params jsonb',
    'ALTER TABLE tasks DROP COLUMN title_key, DROP COLUMN title_params',
  ],
  [
    `UPDATE tasks t SET title_key = 'follow-up', title_params = jsonb_build_object('customer', c.name)
       FROM follow_ups f JOIN customers c ON c.id = f.customer_id
      WHERE f.task_id = t.id AND t.title = '跟进 ' || c.name`,
    'SELECT 1',
  ],
  // A move writes a stage-change activity whose deal and stages are params, not Chinese text.
  ['ALTER TABLE activities ADD COLUMN params jsonb', 'ALTER TABLE activities DROP COLUMN params'],
];

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  for (const [sql] of STATEMENTS) await qi.sequelize.query(sql);
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  for (const [, sql] of [...STATEMENTS].reverse()) await qi.sequelize.query(sql);
}
