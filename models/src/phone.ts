/**
 * The one rule for "is this the same phone number": E.164 (`+8613800138000`) for duplicate checks,
 * search and imports, whatever way it was typed. Numbers are read as Chinese unless they say
 * otherwise (`+`, `00`), since our users are sales teams in China.
 */

/** Characters people put between digits: spaces (full-width too), dashes, dots, slashes, brackets. */
const SEPARATORS = /[\s\u3000\-\u2010-\u2015\u2212()./]/g;
const CN_MOBILE = /^1[3-9]\d{9}$/;

/** How many digits a number needs to be a number at all, and E.164's limit plus room for extensions. */
export const PHONE_MIN_DIGITS = 5;
export const PHONE_MAX_DIGITS = 20;

/**
 * The number as `+<digits>` with the separators, the `00` international prefix and China's trunk `0`
 * removed: `138 0013 8000`, `+86 138-0013-8000` and `008613800138000` all give `+8613800138000`;
 * `(0571) 8888-1234` gives `+8657188881234`. A short local number without its area code cannot be
 * placed, so it keeps its bare digits (`88881234`) and matches only itself. Null when the text is
 * not a phone number (letters, a `+` in the middle, too few or too many digits).
 */
export function phoneKey(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  // NFKC turns full-width digits and plus (an IME's ＋８６) into ASCII.
  const compact = raw.normalize('NFKC').replace(SEPARATORS, '');
  const match = /^(\+|00)?(\d+)$/.exec(compact);
  if (!match) return null;
  const digits = match[2]!;
  let e164: string;
  if (match[1]) e164 = `+${digits}`;
  else if (digits.startsWith('86') && CN_MOBILE.test(digits.slice(2))) e164 = `+${digits}`;
  else if (digits.startsWith('0')) e164 = `+86${digits.slice(1)}`;
  else if (CN_MOBILE.test(digits)) e164 = `+86${digits}`;
  else e164 = digits;
  // `+86 (0)571...`: the trunk 0 is never part of an international number.
  if (e164.startsWith('+860')) e164 = `+86${e164.slice(4)}`;
  const count = e164.replace('+', '').length;
  return count >= PHONE_MIN_DIGITS && count <= PHONE_MAX_DIGITS ? e164 : null;
}
