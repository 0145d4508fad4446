import type { Messages } from './zh-CN';
/** English, used when the phone's language starts with `en`. */
export declare const en: Messages;
