import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamSettingsResponse } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { startTestNode, type TestNode } from '../support/nodes.js';

let node: TestNode;
beforeAll(async () => {
  node = await startTestNode();
});
afterAll(() => node.stop());

describe('GET / PATCH /api/crm/team/settings', () => {
  it('shows the seeded rules: East shares its records, West keeps each rep to their own', async () => {
    const ray = await signIn(node.url, 'ray');
    const will = await signIn(node.url, 'will');
    expect((await ray.get<TeamSettingsResponse>('/api/crm/team/settings')).body.settings).toMatchObject({
      teamId: ray.user.teamId,
      visibility: 'team',
      recycleAfterDays: 30,
      claimLimitPerDay: 5,
      holdLimit: 40,
    });
    expect((await will.get<TeamSettingsResponse>('/api/crm/team/settings')).body.settings).toMatchObject({
      teamId: will.user.teamId,
      visibility: 'owner',
    });
  });

  it("lets the team's manager change them, and an admin any team of the tenant", async () => {
    const mia = await signIn(node.url, 'mia');
    const ada = await signIn(node.url, 'ada');
    const wes = await signIn(node.url, 'wes');
    const res = await mia.send<TeamSettingsResponse>('PATCH', '/api/crm/team/settings', { claimLimitPerDay: 8, holdLimit: null });
    expect(res.status).toBe(200);
    expect(res.body.settings).toMatchObject({ visibility: 'team', claimLimitPerDay: 8, holdLimit: null, recycleAfterDays: 30 });
    const byAdmin = await ada.send<TeamSettingsResponse>('PATCH', '/api/crm/team/settings', {
      teamId: wes.user.teamId,
      recycleAfterDays: 45,
    });
    expect(byAdmin.body.settings).toMatchObject({ teamId: wes.user.teamId, recycleAfterDays: 45, visibility: 'owner' });
    // wx.request has no PATCH: the override header reaches the same route.
    const viaPost = await wes.send('POST', '/api/crm/team/settings', { holdLimit: 12 }, { 'X-HTTP-Method-Override': 'PATCH' });
    expect(viaPost.body.settings).toMatchObject({ holdLimit: 12, recycleAfterDays: 45 });
  });

  it('refuses a rep (403), keeps a manager in their own team, and answers 400 for bad rules with nothing written', async () => {
    const ray = await signIn(node.url, 'ray');
    const mia = await signIn(node.url, 'mia');
    const wes = await signIn(node.url, 'wes');
    const before = (await mia.get<TeamSettingsResponse>('/api/crm/team/settings')).body.settings;
    expect((await ray.send('PATCH', '/api/crm/team/settings', { visibility: 'owner' })).status).toBe(403);
    // A manager naming another team still changes only their own (teamId is for admins).
    await mia.send('PATCH', '/api/crm/team/settings', { teamId: wes.user.teamId, visibility: 'team' });
    expect((await wes.get<TeamSettingsResponse>('/api/crm/team/settings')).body.settings.visibility).toBe('owner');
    for (const bad of [
      {},
      { visibility: 'everyone' },
      { recycleAfterDays: 0 },
      { claimLimitPerDay: -1 },
      { holdLimit: 1.5 },
      { extra: 1 },
    ]) {
      const res = await mia.send('PATCH', '/api/crm/team/settings', bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.error.code).toBe('validation');
    }
    const after = (await mia.get<TeamSettingsResponse>('/api/crm/team/settings')).body.settings;
    expect(after).toEqual({ ...before, visibility: 'team', version: after.version });
    expect(after.visibility).toBe('team');
  });

  it('answers the defaults for a team nobody has configured', async () => {
    const oscar = await signIn(node.url, 'oscar');
    await node.db.models.TeamSettings.destroy({ where: { teamId: oscar.user.teamId! } });
    expect((await oscar.get<TeamSettingsResponse>('/api/crm/team/settings')).body.settings).toEqual({
      teamId: oscar.user.teamId,
      visibility: 'team',
      recycleAfterDays: null,
      claimLimitPerDay: null,
      holdLimit: null,
      version: 0,
    });
  });
});
