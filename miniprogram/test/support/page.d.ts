/** The bits of miniprogram-simulate's component wrapper the tests use. */
export interface SimComponent {
    dom: HTMLElement;
    instance: Record<string, unknown> & {
        data: Record<string, unknown>;
        setData(patch: Record<string, unknown>, cb?: () => void): void;
    };
    attach(parent: Element): void;
    detach(): void;
    querySelector(selector: string): SimComponent | null;
    querySelectorAll(selector: string): SimComponent[];
    dispatchEvent(name: string, detail?: object): void;
}
interface Simulate {
    load(path: string, options: {
        rootPath: string;
        compiler?: string;
    }): string;
    render(id: string, props?: object): SimComponent;
    sleep(ms: number): Promise<void>;
}
/**
 * A user's tap on a node. Goes through exparser directly: TDesign components are virtual hosts
 * (no DOM element of their own), which j-component's dispatchEvent cannot reach.
 */
export declare function tap(node: SimComponent | null | undefined, detail?: object): void;
export declare function simulate(): Simulate;
/** Requires a module of the built app: the same instance the pages hold. */
export declare function appModule<T>(root: string, path: string): T;
export interface OpenedPage {
    comp: SimComponent;
    /** what a person can read on the page, whitespace collapsed */
    text(): string;
    /** waits until the page's text satisfies `test` */
    waitFor(test: (text: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
    call<R = unknown>(method: string, ...args: unknown[]): R;
    close(): void;
}
export declare function textOf(el: Element | null | undefined): string;
/**
 * Loads a Component()-based page from the built app, attaches it and runs its onLoad with the
 * query, as WeChat does when the page opens.
 */
export declare function openPage(root: string, name: string, query?: Record<string, string>): OpenedPage;
export {};
