import type { Customer, CustomerScope, CustomerSort, CustomerStatus, Id, TeamEventEnvelope } from '@live-crm/shared-types';
import { keepLive, livePage, reloadOnReset, releaseLive, pullToRefresh } from '../../behaviors/live-page';
import { t } from '../../i18n/index';
import type { MessageKey } from '../../i18n/index';
import { conflictCustomer, listCustomers } from '../../services/customers';
import { isApiError } from '../../services/api';
import { claimCustomer } from '../../services/ownership';
import { teamNames } from '../../services/team';
import { realtime } from '../../services/realtime';
import { callCustomer } from '../../utils/call';
import { contactOf } from '../../utils/contact';
import { errorText, idFrom, pageState } from '../../utils/page';
import type { TapEvent } from '../../utils/page';
import { localizeTabBar } from '../../utils/tab-bar';
import { CustomerRows } from './rows';
import type { ListFilter, Patch, Row } from './rows';
import { pageKit } from '../../behaviors/page-kit';

const PAGE_SIZE = 20;
const SEARCH_DEBOUNCE_MS = 300;
const STATUSES: Array<CustomerStatus | 'all'> = ['all', 'lead', 'prospect', 'active', 'inactive'];
const SORTS: CustomerSort[] = ['lastContact', 'name', 'createdAt'];
/** 我的 / 全部 / 公海 (ARCHITECTURE 9.2). */
const SCOPES: CustomerScope[] = ['mine', 'all', 'pool'];
/** How long 正在被领取 shows on a pool row after a teammate started claiming it. */
const CLAIMING_MS = 4000;

/** Per page instance, outside `data`: never sent to the view. */
interface State {
  filter: ListFilter;
  owners: Map<Id, string>;
  claimTimers: Map<Id, ReturnType<typeof setTimeout>>;
  rows: CustomerRows | null;
  /** a newer load (new search or filter) makes older answers stale */
  generation: number;
  page: number;
  cursor: string | null;
  loadingMore: boolean;
  searchTimer: ReturnType<typeof setTimeout> | null;
  /** live changes seen while a load is in flight: its answer may predate them */
  duringLoad: Array<(rows: CustomerRows) => void> | null;
}

const stateOf = pageState<State>(() => ({
  filter: { keyword: '', status: 'all', sortBy: 'lastContact', scope: 'all', me: null },
  owners: new Map(),
  claimTimers: new Map(),
  rows: null,
  generation: 0,
  page: 1,
  cursor: null,
  loadingMore: false,
  searchTimer: null,
  duringLoad: null,
}));

const sortLabel = (sort: CustomerSort): string => t(`sort.${sort}` as MessageKey);

function texts() {
  return {
    search: t('customers.searchPlaceholder'),
    call: t('customers.call'),
    message: t('customers.message'),
    empty: t('customers.empty'),
    noMatch: t('customers.noMatch'),
    newCustomer: t('customers.new'),
    noMore: t('customers.noMore'),
    loading: t('common.loading'),
    retry: t('common.retry'),
    cancel: t('common.cancel'),
    sortTitle: t('customers.sortTitle'),
    claim: t('pool.claim'),
    claiming: t('pool.claiming'),
    poolTag: t('pool.tag'),
    emptyPool: t('pool.empty'),
    import: t('import.entry'),
  };
}

Component({
  behaviors: [pageKit, livePage, pullToRefresh],
  data: {
    text: texts(),
    statuses: STATUSES.map((value) => ({ value, label: t(`status.${value}` as MessageKey) })),
    scopes: SCOPES.map((value) => ({ value, label: t(`scope.${value}` as MessageKey) })),
    scope: 'all' as string,
    claimingId: 0,
    status: 'all' as string,
    keyword: '',
    sortText: t('customers.sortBy', { sort: sortLabel('lastContact') }),
    loading: true,
    loadingMore: false,
    error: '',
    rows: [] as Row[],
    count: 0,
    totalText: '',
    hasMore: false,
    /** Bringing a sheet in is a manager's or admin's call; the server refuses reps too. */
    canImport: false,
    sheet: { visible: false, items: SORTS.map((s) => ({ label: sortLabel(s) })) },
  },

  methods: {
    onLoad() {
      const session = this.signedIn();
      if (!session) return;
      wx.setNavigationBarTitle({ title: t('customers.title') });
      stateOf(this).filter.me = session.user.id;
      this.setData({ canImport: session.user.role !== 'rep' });
      const onCustomer = (env: TeamEventEnvelope<'customer:created' | 'customer:updated' | 'customer:owner-changed'>) =>
        this.live((rows) => rows.apply(env.data.customer, env.type === 'customer:created'));
      keepLive(
        this,
        realtime.on('customer:created', onCustomer),
        realtime.on('customer:updated', onCustomer),
        realtime.on('customer:owner-changed', onCustomer),
        realtime.onClaiming((n) => this.showClaiming(n.customerId, n.name)),
      );
      for (const type of ['communication:logged', 'message:created', 'activity:created'] as const) {
        keepLive(
          this,
          realtime.on(type, (env) => {
            const contact = contactOf(env);
            if (contact) this.live((rows) => rows.touch(contact.customerId, contact.at));
          }),
        );
      }
      // One envelope for a whole import: the list is fetched again rather than patched row by row.
      keepLive(
        this,
        realtime.on('customers:imported', () => {
          void this.load();
        }),
      );
      reloadOnReset(this);
      realtime.start();
      void this.load();
    },

    onShow() {
      localizeTabBar();
    },

    onUnload() {
      releaseLive(this);
      const state = stateOf(this);
      if (state.searchTimer) clearTimeout(state.searchTimer);
      for (const timer of state.claimTimers.values()) clearTimeout(timer);
    },

    /** 正在被领取 on the row for a few seconds: a hint, the claim itself decides. */
    showClaiming(id: Id, name: string) {
      const state = stateOf(this);
      const patch = state.rows?.claiming(id, name);
      if (!patch) return;
      this.setData(patch);
      const running = state.claimTimers.get(id);
      if (running) clearTimeout(running);
      state.claimTimers.set(
        id,
        setTimeout(() => {
          state.claimTimers.delete(id);
          const clear = stateOf(this).rows?.claiming(id, '');
          if (clear) this.setData(clear);
        }, CLAIMING_MS),
      );
    },

    onReachBottom() {
      void this.loadMore();
    },

    /** One live change: patch the row it touches (and remember it if a load is racing it). */
    live(change: (rows: CustomerRows) => Patch | null) {
      const state = stateOf(this);
      state.duringLoad?.push((rows) => {
        change(rows);
      });
      const patch = state.rows ? change(state.rows) : null;
      if (!patch) return;
      if (state.rows && 'totalText' in patch) patch['count'] = state.rows.size;
      this.setData(patch);
    },

    query(filter: ListFilter, page: number, cursor: string | null) {
      return listCustomers({
        page,
        limit: PAGE_SIZE,
        status: filter.status,
        sortBy: filter.sortBy,
        scope: filter.scope,
        ...(filter.keyword.trim() ? { keyword: filter.keyword.trim() } : {}),
        ...(cursor ? { cursor } : {}),
      });
    },

    async load() {
      const state = stateOf(this);
      const generation = ++state.generation;
      const filter = { ...state.filter };
      if (!state.rows) this.setData({ loading: true });
      state.duringLoad = [];
      try {
        const [res, owners] = await Promise.all([this.query(filter, 1, null), teamNames()]);
        if (generation !== state.generation) return;
        state.owners = new Map(owners);
        const rows = new CustomerRows(filter, state.owners);
        rows.total = res.total;
        rows.totalCapped = res.totalCapped;
        rows.hasMore = res.hasMore;
        rows.append(res.customers);
        for (const replay of state.duringLoad ?? []) replay(rows);
        Object.assign(state, { rows, page: 1, cursor: res.nextCursor ?? null });
        this.setData({
          loading: false,
          error: '',
          rows: rows.rows(),
          count: rows.size,
          totalText: rows.totalText(),
          hasMore: rows.hasMore,
        });
      } catch (err) {
        if (generation !== state.generation) return;
        // Keep showing what we had; only an empty page turns into the error state.
        if (state.rows) this.toast(errorText(err));
        else this.setData({ loading: false, error: errorText(err) });
      } finally {
        if (generation === state.generation) state.duringLoad = null;
      }
    },

    /** The next page after the last row seen (the server's cursor when it gives one), repeats dropped. */
    async loadMore() {
      const state = stateOf(this);
      const rows = state.rows;
      if (!rows || !rows.hasMore || state.loadingMore) return;
      const generation = state.generation;
      state.loadingMore = true;
      this.setData({ loadingMore: true });
      try {
        const res = await this.query(rows.filter, state.page + 1, state.cursor);
        if (generation !== state.generation) return;
        Object.assign(state, { page: state.page + 1, cursor: res.nextCursor ?? null });
        rows.hasMore = res.hasMore;
        this.setData({ ...rows.append(res.customers), count: rows.size, hasMore: rows.hasMore });
      } catch (err) {
        this.toast(errorText(err));
      } finally {
        state.loadingMore = false;
        this.setData({ loadingMore: false });
      }
    },

    /** Typing searches once the rep pauses; the keyboard's search key and clearing search at once. */
    onSearchChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const state = stateOf(this);
      if (state.searchTimer) clearTimeout(state.searchTimer);
      state.searchTimer = setTimeout(() => this.search(e.detail.value), SEARCH_DEBOUNCE_MS);
    },

    onSearchSubmit(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.search(e.detail.value);
    },

    onSearchClear() {
      this.search('');
    },

    search(keyword: string) {
      const state = stateOf(this);
      if (state.searchTimer) clearTimeout(state.searchTimer);
      state.searchTimer = null;
      if (keyword.trim() === state.filter.keyword.trim()) return;
      state.filter = { ...state.filter, keyword };
      this.setData({ keyword });
      void this.load();
    },

    onStatusChange(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      const status = String(e.detail.value) as CustomerStatus | 'all';
      if (!STATUSES.includes(status)) return;
      stateOf(this).filter.status = status;
      this.setData({ status });
      void this.load();
    },

    onScopeChange(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      const scope = String(e.detail.value) as CustomerScope;
      if (!SCOPES.includes(scope)) return;
      stateOf(this).filter.scope = scope;
      this.setData({ scope });
      void this.load();
    },

    /** 领取: the pool row becomes the rep's; a teammate who was faster is named, a limit explained. */
    async onClaimTap(e: TapEvent) {
      const id = idFrom(e);
      if (this.data.claimingId) return;
      this.setData({ claimingId: id });
      try {
        const customer = await claimCustomer(id);
        this.live((rows) => rows.apply(customer, false));
        this.toast(t('pool.claimed', { name: customer.name }), 'success');
      } catch (err) {
        const current = isApiError(err) ? conflictCustomer(err) : null;
        if (current) {
          this.live((rows) => rows.apply(current, false));
          const owner = current.ownerId === null ? '' : (stateOf(this).owners.get(current.ownerId) ?? t('common.someone'));
          this.toast(t('pool.taken', { name: owner }), 'warning');
        } else this.toast(errorText(err), 'error');
      } finally {
        this.setData({ claimingId: 0 });
      }
    },

    onSortTap() {
      this.setData({ 'sheet.visible': true });
    },

    onSheetSelected(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
      this.onSheetClose();
      const sortBy = SORTS[e.detail.index];
      const state = stateOf(this);
      if (!sortBy || sortBy === state.filter.sortBy) return;
      state.filter.sortBy = sortBy;
      this.setData({ sortText: t('customers.sortBy', { sort: sortLabel(sortBy) }) });
      void this.load();
    },

    onRowTap(e: TapEvent) {
      wx.navigateTo({ url: `/pages/customer-detail/index?id=${idFrom(e)}` });
    },

    async onCallTap(e: TapEvent) {
      const customer = stateOf(this).rows?.get(idFrom(e));
      if (!customer) return;
      if (!customer.phone) {
        this.toast(t('customers.noPhone'));
        return;
      }
      await this.call(customer);
    },

    async call(customer: Customer) {
      try {
        const result = await callCustomer(customer);
        if (result === 'logged') this.toast(t('call.logged'), 'success');
        else if (result === 'queued') this.toast(t('offline.queued'));
        else if (result === 'failed') this.toast(t('call.failed'), 'error');
      } catch (err) {
        this.toast(errorText(err), 'error');
      }
    },

    onMessageTap(e: TapEvent) {
      const customer = stateOf(this).rows?.get(idFrom(e));
      if (!customer) return;
      wx.navigateTo({ url: `/pages/message/index?customerId=${customer.id}&name=${encodeURIComponent(customer.name)}` });
    },

    /** Taps on the call and message buttons stop here instead of also opening the customer. */
    onNoop() {},

    onNew() {
      wx.navigateTo({ url: '/pages/customer-form/index' });
    },

    onImportTap() {
      wx.navigateTo({ url: '/pages/import/index' });
    },
  },
});
