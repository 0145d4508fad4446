import type { Express } from 'express';

export interface RouteKey {
  method: string;
  /** Full path as mounted, e.g. `/api/crm/customers/:id`. */
  path: string;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  /** router@2: the path a layer was mounted at (`app.use('/api/crm', router)`). */
  rawPath?: string | string[];
}

const join = (prefix: string, path: string): string => (path === '/' ? prefix || '/' : `${prefix}${path}`);

function walk(stack: Layer[], prefix: string, out: RouteKey[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const p of paths) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') out.push({ method: method.toUpperCase(), path: join(prefix, p) });
        }
      }
    } else if (layer.handle?.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      walk(layer.handle.stack, `${prefix}${mount}`, out);
    }
  }
}

/** Every route the app answers, read from Express's own router stack at run time. */
export function listRoutes(app: Express): RouteKey[] {
  const router = (app as unknown as { router: { stack: Layer[] } }).router;
  const out: RouteKey[] = [];
  walk(router.stack, '', out);
  const seen = new Set<string>();
  return out.filter((r) => {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const routeKey = (r: RouteKey): string => `${r.method} ${r.path}`;
