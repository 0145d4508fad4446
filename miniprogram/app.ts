import { backToLogin } from './services/api';
import { startNotifications } from './services/notifications';
import { startOfflineQueue } from './services/offline-queue';
import { watchPrivacy } from './services/privacy';
import { realtime } from './services/realtime';
import { getSession } from './services/session';

// A token the socket server rejects is as dead as one REST rejects: back to the login page.
realtime.onStatus((status) => {
  if (status === 'unauthorized') backToLogin();
});

App({
  onLaunch() {
    // WeChat asks the app for privacy consent (用户隐私保护指引) before any privacy API runs.
    watchPrivacy();
    // The unread badge on the 动态 tab stays live app-wide, whichever page is open.
    startNotifications();
    if (getSession()) realtime.start();
    // Changes made offline, even before the app was killed, go out as soon as they can.
    startOfflineQueue(realtime);
  },
  onShow() {
    // WeChat drops sockets of a backgrounded app; start() is a no-op while one is alive.
    if (getSession()) realtime.start();
    startOfflineQueue(realtime);
  },
});
