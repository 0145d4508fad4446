import { statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { later, settle } from './callbacks';
import type { Callbacks, ErrorReporter } from './callbacks';
import type { UiLog } from './ui';

/**
 * WeChat's privacy consent (用户隐私保护指引), as the base library runs it since 2023-10-17: a privacy
 * API called before the user agreed stays pending and `wx.onNeedPrivacyAuthorization`'s listener
 * gets `(resolve, { referrer })`. `resolve({ event: 'agree', buttonId })` lets it run, but only if
 * the button `<button id=buttonId open-type="agreePrivacyAuthorization">` was tapped (a tap on it is
 * itself the consent, for every privacy API, until the guide changes);
 * `resolve({ event: 'disagree' })` fails it with `<api>:fail privacy permission is not authorized`;
 * `resolve({ event: 'exposureAuthorization' })` tells the platform the app's own sheet is shown.
 * Without a listener WeChat shows its own consent popup (answered from `script.privacyPopupAnswers`).
 */
export interface PrivacyHandles {
  agreed(): boolean;
  /** the user taps the app's `open-type="agreePrivacyAuthorization"` button with this id */
  tapAgreeButton(buttonId: string): void;
  /** APIs whose pending call the app reported its consent sheet shown for */
  exposures: string[];
  /** APIs for which WeChat had to show its own popup (no listener registered) */
  platformPopups: string[];
  contractOpens: number;
  /** what wx.setClipboardData last put on the clipboard */
  clipboard: string;
}

export interface PrivacyScript {
  /** WeChat's own popup, shown when the app registered no listener (default 'agree') */
  privacyPopupAnswers: Array<'agree' | 'disagree'>;
  /** what the user picks in wx.chooseMessageFile's chat picker: a local file's path, or 'cancel' (default) */
  messageFiles: Array<string | 'cancel'>;
}

export interface MessageFile {
  path: string;
  size: number;
  name: string;
  type: string;
  time: number;
}

type ChooseMessageFileOptions = { count?: number; type?: string; extension?: string[] } & Callbacks<Ok & { tempFiles: MessageFile[] }>;

type Event = { event?: string; buttonId?: string };
type Listener = (resolve: (r: Event) => void, info: { referrer: string }) => void;
type Outcome<S> = { ok: true; res: S } | { ok: false; errMsg: string };
type Ok = { errMsg: string };

/** The consent sheet of WeChat's sample: a contract name as the admin console sets it. */
export const PRIVACY_CONTRACT_NAME = '《Live CRM 小程序隐私保护指引》';

export function privacyApi(report: ErrorReporter, log: UiLog, script: PrivacyScript, initiallyAgreed: boolean) {
  let agreed = initiallyAgreed;
  let listener: Listener | null = null;
  const tapped = new Set<string>();
  const handles: PrivacyHandles = {
    agreed: () => agreed,
    tapAgreeButton: (buttonId) => {
      tapped.add(buttonId);
      agreed = true;
    },
    exposures: [],
    platformPopups: [],
    contractOpens: 0,
    clipboard: '',
  };

  /** Runs a privacy API now if the user agreed, else after the consent the listener asks for. */
  function gated<S>(name: string, o: Callbacks<S> | undefined, run: () => Outcome<S>): Promise<S> | undefined {
    const hasCallbacks = !!(o && (o.success || o.fail || o.complete));
    let done: { resolve(v: S): void; reject(e: unknown): void } | null = null;
    const promise = hasCallbacks
      ? undefined
      : new Promise<S>((resolve, reject) => {
          done = { resolve, reject };
        });
    const finish = (outcome: Outcome<S>) => {
      const p = settle(o, report, name, outcome);
      if (p && done) p.then(done.resolve, done.reject);
    };
    const refuse = () => finish({ ok: false, errMsg: `${name}:fail privacy permission is not authorized` });
    later(() => {
      if (agreed) return finish(run());
      if (!listener) {
        handles.platformPopups.push(name);
        if ((script.privacyPopupAnswers.shift() ?? 'agree') === 'agree') {
          agreed = true;
          finish(run());
        } else refuse();
        return;
      }
      let answered = false;
      const resolve = (r: Event) => {
        if (answered) return;
        if (r?.event === 'exposureAuthorization') {
          handles.exposures.push(name);
          return;
        }
        if (r?.event === 'agree') {
          answered = true;
          if (r.buttonId && tapped.has(r.buttonId)) finish(run());
          else {
            report('onNeedPrivacyAuthorization resolve', new Error(`agree with button "${r.buttonId}", which was never tapped`));
            refuse();
          }
          return;
        }
        if (r?.event === 'disagree') {
          answered = true;
          refuse();
          return;
        }
        report('onNeedPrivacyAuthorization resolve', new Error(`unknown event ${JSON.stringify(r)}`));
      };
      try {
        listener(resolve, { referrer: name });
      } catch (err) {
        report('onNeedPrivacyAuthorization listener', err);
      }
    });
    return promise;
  }

  const ok = <E extends object>(name: string, extra: E = {} as E) => ({ ok: true as const, res: { errMsg: `${name}:ok`, ...extra } });
  const api = {
    /** The latest registration replaces the earlier one. */
    onNeedPrivacyAuthorization: (l: Listener) => {
      listener = l;
    },
    getPrivacySetting: (o: Callbacks<Ok & { needAuthorization: boolean; privacyContractName: string }>) =>
      new Promise((resolve) =>
        later(() => {
          resolve(
            settle(
              o,
              report,
              'getPrivacySetting',
              ok('getPrivacySetting', { needAuthorization: !agreed, privacyContractName: PRIVACY_CONTRACT_NAME }),
            ),
          );
        }),
      ),
    requirePrivacyAuthorize: (o?: Callbacks<Ok>) => gated('requirePrivacyAuthorize', o, () => ok('requirePrivacyAuthorize')),
    openPrivacyContract: (o?: Callbacks<Ok>) =>
      new Promise((resolve) =>
        later(() => {
          handles.contractOpens += 1;
          resolve(settle(o, report, 'openPrivacyContract', ok('openPrivacyContract')));
        }),
      ),
    setClipboardData: (o: { data: string } & Callbacks<Ok>) =>
      gated('setClipboardData', o, () => {
        handles.clipboard = String(o.data);
        // WeChat confirms a copy with its own toast.
        log.toasts.push({ title: '内容已复制', icon: 'success' });
        return ok('setClipboardData');
      }),
    getClipboardData: (o?: Callbacks<Ok & { data: string }>) =>
      gated('getClipboardData', o, () => ok('getClipboardData', { data: handles.clipboard })),
    /** The picker lists only files with one of `extension`; a scripted file it would not list is a test error. */
    chooseMessageFile: (o: ChooseMessageFileOptions) =>
      gated('chooseMessageFile', o, (): Outcome<Ok & { tempFiles: MessageFile[] }> => {
        const pick = script.messageFiles.shift() ?? 'cancel';
        const cancel = { ok: false as const, errMsg: 'chooseMessageFile:fail cancel' };
        if (pick === 'cancel') return cancel;
        const ext = extname(pick).slice(1).toLowerCase();
        const allowed = o.extension?.map((e) => e.replace(/^\./, '').toLowerCase());
        if (allowed && !allowed.includes(ext)) {
          report('chooseMessageFile', new Error(`the picker lists only ${allowed.join(', ')} files; ${basename(pick)} cannot be picked`));
          return cancel;
        }
        const file: MessageFile = {
          path: pick,
          size: statSync(pick).size,
          name: basename(pick),
          type: 'file',
          time: Math.floor(Date.now() / 1000),
        };
        return ok('chooseMessageFile', { tempFiles: [file] });
      }),
  };
  return { api, handles, gated };
}
