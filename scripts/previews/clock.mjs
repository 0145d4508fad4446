// The previews' clock: stopped at a chosen moment, then running on with real elapsed time (code that
// waits on the clock must not spin forever). Installed as the global Date, so everything in the
// process reads it, PGlite's now() included.

/** Pictures are drawn at this moment (a Wednesday morning in Shanghai). */
export const PREVIEW_NOW = '2025-06-18T10:30:00+08:00';

const RealDate = Date;

/** Replaces globalThis.Date; `reset(iso)` moves the clock there again. */
export function installClock(iso = PREVIEW_NOW) {
  let clock = { fixed: RealDate.parse(iso), startedAt: RealDate.now() };
  class PreviewDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(PreviewDate.now());
      else super(...args);
    }

    static now() {
      return clock.fixed + (RealDate.now() - clock.startedAt);
    }
  }
  globalThis.Date = PreviewDate;
  return {
    reset(to = PREVIEW_NOW) { clock = { fixed: RealDate.parse(to), startedAt: RealDate.now() }; },
    realNow: () => RealDate.now(),
  };
}

/** The machine's time, whatever clock is installed. */
export const realNow = () => RealDate.now();

/** `iso` moved by `ms`, as ISO text. */
export const shiftIso = (iso, ms) => new RealDate(RealDate.parse(iso) + ms).toISOString();
