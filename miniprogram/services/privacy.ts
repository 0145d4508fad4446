/**
 * WeChat's privacy consent (用户隐私保护指引). A privacy API (clipboard, chooseMessageFile,
 * chooseMedia, location, ...) called before the user agreed waits, and WeChat asks the app through
 * `wx.onNeedPrivacyAuthorization`; the app shows its own sheet (components/privacy-sheet) and answers
 * every waiting call at once: agreed (after a tap on its agreePrivacyAuthorization button) or refused.
 */
type PrivacyEvent = { event: 'exposureAuthorization' } | { event: 'agree'; buttonId: string } | { event: 'disagree' };
type Resolve = (answer: PrivacyEvent) => void;
/** miniprogram-api-typings types this listener as a plain callback; the base library passes these two. */
type NeedPrivacyListener = (resolve: Resolve, info: { referrer: string }) => void;

/** A consent sheet of an open page; the top page's sheet asks. */
export interface ConsentSheet {
  ask(referrer: string): void;
}

const waiting: Resolve[] = [];
const sheets: ConsentSheet[] = [];
/** The wx runtime the listener is registered with: once per app (tests install a runtime per phone). */
let watched: object | null = null;

function onNeed(resolve: Resolve, info: { referrer: string }): void {
  const sheet = sheets[sheets.length - 1];
  // No open page can ask (should not happen: every page calling a privacy API holds a sheet).
  if (!sheet) {
    resolve({ event: 'disagree' });
    return;
  }
  waiting.push(resolve);
  sheet.ask(info.referrer);
  resolve({ event: 'exposureAuthorization' });
}

/** Registers the app's listener; app.ts calls it at launch, every consent sheet too (idempotent). */
export function watchPrivacy(): void {
  if (watched === wx || typeof wx.onNeedPrivacyAuthorization !== 'function') return;
  watched = wx;
  (wx.onNeedPrivacyAuthorization as unknown as (listener: NeedPrivacyListener) => void)(onNeed);
}

function answerAll(answer: PrivacyEvent): void {
  for (const resolve of waiting.splice(0)) resolve(answer);
}

/** After the tap on `<button id=buttonId open-type="agreePrivacyAuthorization">`: the waiting calls run. */
export function agreePrivacy(buttonId: string): void {
  answerAll({ event: 'agree', buttonId });
}

/** The waiting calls fail with `privacy permission is not authorized`; nothing else happens. */
export function refusePrivacy(): void {
  answerAll({ event: 'disagree' });
}

/** A sheet asks while its page is on top; a page that goes away refuses what it was asking. */
export function addConsentSheet(sheet: ConsentSheet): () => void {
  sheets.push(sheet);
  return () => {
    const at = sheets.indexOf(sheet);
    if (at < 0) return;
    sheets.splice(at, 1);
    if (at === sheets.length) refusePrivacy();
  };
}

/** The page under the sheet is shown again (back from another page): its sheet asks from now on. */
export function raiseConsentSheet(sheet: ConsentSheet): void {
  const at = sheets.indexOf(sheet);
  if (at < 0 || at === sheets.length - 1) return;
  sheets.splice(at, 1);
  sheets.push(sheet);
}

export function openPrivacyContract(): void {
  wx.openPrivacyContract({});
}

/** The name the admin console gives the guide, e.g. 《Live CRM 小程序隐私保护指引》. */
export function privacyContractName(): Promise<string | null> {
  return new Promise((resolve) => {
    wx.getPrivacySetting({
      success: (res) => resolve(res.privacyContractName || null),
      fail: () => resolve(null),
    });
  });
}
