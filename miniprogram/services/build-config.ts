/**
 * Settings fixed when the mini program is built. This committed file is the development build,
 * which WeChat DevTools compiles as it is; `npm run build:mp -- --production` writes its own
 * `services/build-config.js` into the output with `LIVECRM_SERVER_URL` (scripts/build-miniprogram.mjs).
 */
export interface BuildConfig {
  /** development: the login page lets a tester point the app at another server */
  mode: 'development' | 'production';
  serverUrl: string;
}

export const BUILD: BuildConfig = {
  mode: 'development',
  serverUrl: 'http://127.0.0.1:3000',
};
