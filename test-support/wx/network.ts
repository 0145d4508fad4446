import { later, settle } from './callbacks';
import type { Callbacks, ErrorReporter } from './callbacks';

/** What WeChat on Android answers a request made with no network. */
export const OFFLINE_ERROR = 'net::ERR_INTERNET_DISCONNECTED';

type StatusListener = (res: { isConnected: boolean; networkType: string }) => void;

/**
 * The phone's connection. Offline: wx.request fails with `request:fail`, an answer still on its way
 * is lost (the server may have acted on it), connectSocket is refused, getNetworkType says 'none'.
 */
export class NetworkState {
  offline = false;
  private readonly listeners: StatusListener[] = [];

  constructor(private readonly report: ErrorReporter) {}

  get networkType(): string {
    return this.offline ? 'none' : 'wifi';
  }

  /** Switches the connection and tells onNetworkStatusChange listeners, as WeChat does, asynchronously. */
  set(offline: boolean): void {
    if (this.offline === offline) return;
    this.offline = offline;
    const res = { isConnected: !offline, networkType: this.networkType };
    later(() => {
      for (const listener of [...this.listeners]) {
        try {
          listener(res);
        } catch (err) {
          this.report('onNetworkStatusChange listener', err);
        }
      }
    });
  }

  api() {
    return {
      getNetworkType: (o?: Callbacks<{ networkType: string; errMsg: string }>) =>
        new Promise((resolve) =>
          later(() => {
            const p = settle(o, this.report, 'getNetworkType', {
              ok: true,
              res: { networkType: this.networkType, errMsg: 'getNetworkType:ok' },
            });
            resolve(p);
          }),
        ),
      onNetworkStatusChange: (listener: StatusListener) => {
        this.listeners.push(listener);
      },
      offNetworkStatusChange: (listener?: StatusListener) => {
        if (!listener) {
          this.listeners.length = 0;
          return;
        }
        const i = this.listeners.indexOf(listener);
        if (i >= 0) this.listeners.splice(i, 1);
      },
    };
  }
}
