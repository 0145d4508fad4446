import { Op, type QueryInterface } from 'sequelize';

/** Indexes for the analytics period scans (closed / created / completed per team) and the stage-move history. */
const INDEXES: Array<{ table: string; fields: string[]; name: string; where?: Record<string, unknown> }> = [
  { table: 'opportunities', fields: ['team_id', 'closed_at'], name: 'opportunities_team_closed_at' },
  { table: 'opportunities', fields: ['team_id', 'created_at'], name: 'opportunities_team_created_at' },
  { table: 'tasks', fields: ['team_id', 'completed_at'], name: 'tasks_team_completed_at' },
  {
    table: 'activities',
    fields: ['opportunity_id', 'occurred_at'],
    name: 'activities_opportunity_occurred_at',
    where: { opportunity_id: { [Op.ne]: null } },
  },
  { table: 'team_events', fields: ['team_id', 'at'], name: 'team_events_moved_team_at', where: { type: 'opportunity:moved' } },
];

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  for (const { table, fields, name, where } of INDEXES) {
    await qi.addIndex(table, fields, { name, ...(where ? { where } : {}) });
  }
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  for (const { table, name } of [...INDEXES].reverse()) await qi.removeIndex(table, name);
}
