import type { Id, Invitation, Member, Role } from '@live-crm/shared-types';
import { keepLive, livePage, pullToRefresh, reloadOnReset, showOnline } from '../../behaviors/live-page';
import { pageKit } from '../../behaviors/page-kit';
import { t } from '../../i18n/index';
import { getTeams } from '../../services/analytics';
import { createInvitation, deactivateMember, isOpen, listInvitations, listMembers, revokeInvitation } from '../../services/members';
import { realtime } from '../../services/realtime';
import type { Session } from '../../services/session';
import { formatDateTime } from '../../utils/format';
import { errorText, idFrom, pageState } from '../../utils/page';
import type { TapEvent } from '../../utils/page';

interface MemberRow {
  id: Id;
  name: string;
  initial: string;
  detail: string;
  active: boolean;
  canDeactivate: boolean;
}

interface InvitationRow {
  id: Id;
  title: string;
  detail: string;
}

interface State {
  session: Session | null;
  teamId: Id | null;
  members: Member[];
  /** The leaver whose heir the sheet is choosing, and who may be chosen. */
  leaver: Member | null;
  heirs: Member[];
  /** The path the share button sends: the invitation made last. */
  sharePath: string | null;
  /** An admin's teams, for the team picker. */
  teams: Array<{ id: Id; name: string }>;
}
const stateOf = pageState<State>(() => ({
  session: null,
  teamId: null,
  members: [],
  leaver: null,
  heirs: [],
  sharePath: null,
  teams: [],
}));

const roleText = (role: Role): string => t(`role.${role}`);

function texts() {
  return {
    live: t('feed.live'),
    offline: t('feed.offline'),
    loading: t('common.loading'),
    retry: t('common.retry'),
    cancel: t('common.cancel'),
    invite: t('members.invite'),
    inactive: t('members.inactive'),
    deactivate: t('members.deactivate'),
    invitations: t('members.invitations'),
    revoke: t('members.revoke'),
    created: t('members.created'),
    createdBody: t('members.createdBody'),
    share: t('members.share'),
    empty: t('members.empty'),
  };
}

/**
 * The team's people (ARCHITECTURE 9.1): everyone sees who is in the team and who has left;
 * a manager or admin invites (a card shared into a chat) and deactivates with a handover.
 */
Component({
  behaviors: [pageKit, livePage, pullToRefresh],
  data: {
    text: texts(),
    loading: true,
    error: '',
    online: false,
    manage: false,
    title: '',
    members: [] as MemberRow[],
    invitations: [] as InvitationRow[],
    sheet: { visible: false, title: '', items: [] as Array<{ label: string }> },
    /** An admin manages every team: the one shown, and the sheet that picks another. */
    teamLabel: '',
    teamSheet: { visible: false, items: [] as Array<{ label: string }> },
    invite: { visible: false },
  },

  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      const session = this.signedIn();
      if (!session) return;
      const state = stateOf(this);
      state.session = session;
      state.teamId = query.teamId && /^\d+$/.test(query.teamId) ? Number(query.teamId) : null;
      wx.setNavigationBarTitle({ title: t('members.title') });
      this.setData({ manage: session.user.role !== 'rep' });
      keepLive(
        this,
        realtime.on('member:joined', (env) => this.applyMember(env.teamId, env.data.member)),
        realtime.on('member:deactivated', (env) => this.applyMember(env.teamId, env.data.member)),
      );
      reloadOnReset(this);
      showOnline(this);
      realtime.start();
      void this.load();
      if (session.user.role === 'admin') void this.loadTeams();
    },

    async loadTeams() {
      try {
        stateOf(this).teams = await getTeams();
        this.showTeam();
      } catch {
        // without the list the admin still manages the team shown
      }
    },

    showTeam() {
      const { teams, teamId } = stateOf(this);
      const team = teams.find((x) => x.id === teamId);
      if (team) this.setData({ teamLabel: team.name });
    },

    onTeamTap() {
      const items = stateOf(this).teams.map((team) => ({ label: team.name }));
      this.setData({ teamSheet: { visible: true, items } });
    },

    onTeamSelected(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
      const state = stateOf(this);
      const team = state.teams[e.detail.index];
      this.setData({ 'teamSheet.visible': false });
      if (!team || team.id === state.teamId) return;
      state.teamId = team.id;
      this.setData({ loading: true, teamLabel: team.name });
      void this.load();
    },

    async load() {
      const state = stateOf(this);
      try {
        const [{ members, teamId }, invitations] = await Promise.all([
          listMembers(state.teamId ?? undefined),
          this.data.manage ? listInvitations(state.teamId ?? undefined) : Promise.resolve([]),
        ]);
        state.teamId = teamId;
        state.members = members;
        this.showTeam();
        this.setData({
          loading: false,
          error: '',
          members: members.map((m) => this.row(m)),
          invitations: this.invitationRows(invitations.filter((i) => i.teamId === teamId)),
          title: t('members.count', { n: String(members.filter((m) => m.active).length) }),
        });
      } catch (err) {
        if (this.data.members.length) this.toast(errorText(err), 'error');
        else this.setData({ loading: false, error: errorText(err) });
      }
    },

    row(m: Member): MemberRow {
      const me = stateOf(this).session!.user;
      const you = m.id === me.id ? ` · ${t('members.you')}` : '';
      const mayLeave = me.role === 'admin' ? m.role !== 'admin' : me.role === 'manager' && m.role === 'rep';
      return {
        id: m.id,
        name: m.name,
        initial: m.name.trim().charAt(0).toUpperCase(),
        detail: `${roleText(m.role)}${you}`,
        active: m.active,
        canDeactivate: m.active && mayLeave && m.id !== me.id,
      };
    },

    invitationRows(invitations: Invitation[]): InvitationRow[] {
      return invitations
        .filter((i) => isOpen(i))
        .map((i) => ({
          id: i.id,
          title: t('members.invitationTitle', { role: roleText(i.role) }),
          detail: t('members.invitationLine', { uses: String(i.uses), max: String(i.maxUses), expires: formatDateTime(i.expiresAt) }),
        }));
    },

    /** A member joined or changed: patch their row, or add it at the end. */
    applyMember(teamId: Id, member: Member) {
      const state = stateOf(this);
      if (teamId !== state.teamId || this.data.loading) return;
      const i = state.members.findIndex((m) => m.id === member.id);
      const at = i < 0 ? state.members.length : i;
      state.members[at] = member;
      this.setData({
        [`members[${at}]`]: this.row(member),
        title: t('members.count', { n: String(state.members.filter((m) => m.active).length) }),
      });
    },

    /** Admins choose the role; a manager invites reps. */
    async onInvite() {
      const me = stateOf(this).session!.user;
      if (me.role === 'admin') {
        wx.showActionSheet({
          itemList: [t('members.inviteRep'), t('members.inviteManager')],
          success: (res) => void this.invite(res.tapIndex === 1 ? 'manager' : 'rep'),
        });
        return;
      }
      await this.invite('rep');
    },

    async invite(role: 'rep' | 'manager') {
      const state = stateOf(this);
      try {
        const { invitation, path } = await createInvitation(
          role,
          state.session!.user.role === 'admin' ? (state.teamId ?? undefined) : undefined,
        );
        state.sharePath = `/${path}`;
        const [row] = this.invitationRows([invitation]);
        this.setData({ invitations: [row!, ...this.data.invitations], invite: { visible: true } });
      } catch (err) {
        this.toast(errorText(err), 'error');
      }
    },

    /** The share button in the invite popup, and the page's own menu once an invitation exists. */
    onShareAppMessage() {
      const state = stateOf(this);
      this.setData({ invite: { visible: false } });
      return {
        title: t('members.shareTitle', { name: state.session?.user.name ?? '' }),
        path: state.sharePath ?? '/pages/login/index',
      };
    },

    async onRevoke(e: TapEvent) {
      const id = idFrom(e);
      try {
        await revokeInvitation(id);
        this.setData({ invitations: this.data.invitations.filter((i) => i.id !== id) });
        this.toast(t('members.revoked'), 'success');
      } catch (err) {
        this.toast(errorText(err), 'error');
      }
    },

    onDeactivate(e: TapEvent) {
      const state = stateOf(this);
      const leaver = state.members.find((m) => m.id === idFrom(e));
      if (!leaver) return;
      const heirs = state.members.filter((m) => m.active && m.id !== leaver.id);
      if (heirs.length === 0) {
        this.toast(t('members.noHeir'), 'warning');
        return;
      }
      state.leaver = leaver;
      state.heirs = heirs;
      const items = heirs.map((m) => ({ label: `${m.name}（${roleText(m.role)}）` }));
      this.setData({ sheet: { visible: true, title: t('members.handoverTitle', { name: leaver.name }), items } });
    },

    onSheetSelected(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
      const state = stateOf(this);
      const heir = state.heirs[e.detail.index];
      const leaver = state.leaver;
      this.onSheetClose();
      if (!heir || !leaver) return;
      wx.showModal({
        title: t('members.confirmTitle', { name: leaver.name }),
        content: t('members.confirmBody', { name: leaver.name, heir: heir.name }),
        confirmText: t('members.deactivate'),
        confirmColor: '#d54941',
        success: (res) => {
          if (res.confirm) void this.deactivate(leaver, heir);
        },
      });
    },

    async deactivate(leaver: Member, heir: Member) {
      try {
        const { member, handedOver } = await deactivateMember(leaver.id, heir.id);
        this.applyMember(stateOf(this).teamId!, member);
        const counts = {
          customers: String(handedOver.customers),
          opportunities: String(handedOver.opportunities),
          tasks: String(handedOver.tasks),
        };
        this.toast(t('members.deactivated', { name: member.name, ...counts }), 'success');
      } catch (err) {
        this.toast(errorText(err), 'error');
      }
    },
  },
});
