export declare const ROOT: string;
export declare const BUILD_DIR: string;
/**
 * Test files run in parallel: the first one that finds `.build/miniprogram` stale rebuilds it
 * (under a lock), the others wait and reuse it.
 */
export declare function ensureBuilt(): Promise<string>;
