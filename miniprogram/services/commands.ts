import type { AnyCommand, Command, CommandReq, CommandRes, CommandType } from '@live-crm/shared-types';
import type { AttachmentResponse } from '@live-crm/shared-types';
import { newIdempotencyKey, request, upload } from './api';
import type { Method } from './api';
import { realtime } from './realtime';

/**
 * Every write the phone makes goes out from here, named by its command (shared-types' CommandMap):
 * its REST route, and while the realtime socket is online its socket twin where one exists. Pages,
 * services and the offline queue hold commands, never URLs.
 */

/**
 * A route's path names its parameters (`:id`), read from the request by that name; the rest of the
 * request is the body.
 */
interface Route {
  method: Method;
  path: string;
}

/** Table order matters only for queue items from before commands (see commandFromRequest). */
const ROUTES: Record<CommandType, Route> = {
  'customer.create': { method: 'POST', path: '/api/crm/customers' },
  'customer.update': { method: 'PATCH', path: '/api/crm/customers/:id' },
  'note.add': { method: 'POST', path: '/api/crm/customers/:customerId/notes' },
  'opportunity.create': { method: 'POST', path: '/api/crm/opportunities' },
  'opportunity.update': { method: 'PATCH', path: '/api/crm/opportunities/:id' },
  'opportunity.move': { method: 'PUT', path: '/api/crm/opportunities/:id/move' },
  'task.create': { method: 'POST', path: '/api/crm/tasks' },
  'task.setStatus': { method: 'PUT', path: '/api/crm/tasks/:id' },
  'task.update': { method: 'PUT', path: '/api/crm/tasks/:id' },
  'task.assign': { method: 'PUT', path: '/api/crm/tasks/:id/assign' },
  'message.send': { method: 'POST', path: '/api/crm/messages' },
  'followUp.schedule': { method: 'POST', path: '/api/crm/follow-ups' },
  'communication.log': { method: 'POST', path: '/api/crm/communications' },
  'notifications.markRead': { method: 'PUT', path: '/api/crm/notifications/read' },
  'notifications.consent': { method: 'POST', path: '/api/crm/notifications/subscriptions' },
  'import.apply': { method: 'POST', path: '/api/crm/imports/:id/apply' },
  'invitation.create': { method: 'POST', path: '/api/crm/invitations' },
  'invitation.revoke': { method: 'DELETE', path: '/api/crm/invitations/:id' },
  'member.deactivate': { method: 'POST', path: '/api/crm/members/:id/deactivate' },
  'activity.log': { method: 'POST', path: '/api/crm/activities' },
  'contact.create': { method: 'POST', path: '/api/crm/customers/:customerId/contacts' },
  'contact.update': { method: 'PATCH', path: '/api/crm/contacts/:id' },
  'customer.claim': { method: 'POST', path: '/api/crm/customers/:id/claim' },
  'customer.release': { method: 'POST', path: '/api/crm/customers/:id/release' },
  'customer.reassign': { method: 'PUT', path: '/api/crm/customers/:id/owner' },
  'opportunity.reassign': { method: 'PUT', path: '/api/crm/opportunities/:id/owner' },
  'team.settings': { method: 'PATCH', path: '/api/crm/team/settings' },
  'target.set': { method: 'PUT', path: '/api/crm/targets' },
};

type Twin<K extends CommandType> = (req: CommandReq<K>, idempotencyKey: string) => Promise<CommandRes<K>>;

/**
 * Socket twins: no HTTP request on the phone or the server, the same answer or refusal, and the same
 * Idempotency-Key, so a retry may take either way.
 */
const TWINS: { [K in CommandType]?: Twin<K> } = {
  'opportunity.move': ({ id, stageId, version }, idempotencyKey) =>
    realtime.command('opportunity:move', { id, stageId, version, idempotencyKey }),
};

const isParam = (segment: string): boolean => segment.startsWith(':');

function routeOf(type: CommandType, req: object): { method: Method; path: string; body: Record<string, unknown> } {
  const { method, path } = ROUTES[type];
  const body: Record<string, unknown> = { ...req };
  const filled = path.split('/').map((segment) => {
    if (!isParam(segment)) return segment;
    const name = segment.slice(1);
    const value = body[name];
    delete body[name];
    return encodeURIComponent(String(value));
  });
  return { method, path: filled.join('/'), body };
}

/**
 * Sends a command once, under `idempotencyKey` (a retry with the same key is applied once): over the
 * app's one realtime socket when the command has a twin and the socket is online, else REST.
 * Refusals reject with ApiError, whichever way the command went.
 */
export async function sendCommand<K extends CommandType>(
  command: Command<K>,
  idempotencyKey: string = newIdempotencyKey(),
): Promise<CommandRes<K>> {
  const twin = TWINS[command.type] as Twin<K> | undefined;
  if (twin && realtime.status() === 'online') return twin(command.req, idempotencyKey);
  const req =
    command.type === 'activity.log' ? await withUploadedPhotos(command.req as CommandReq<'activity.log'>, idempotencyKey) : command.req;
  const { method, path, body } = routeOf(command.type, req);
  return request<CommandRes<K>>(method, path, { body, idempotencyKey });
}

/**
 * A record's photos go up first, each under the record's key and its index: a replay (offline queue,
 * retry) gets the same photo back instead of a second one, and then the record's own first answer.
 */
async function withUploadedPhotos(req: CommandReq<'activity.log'>, idempotencyKey: string): Promise<CommandReq<'activity.log'>> {
  const { photos = [], ...rest } = req;
  if (photos.length === 0) return rest;
  const ids: number[] = [];
  for (const [i, filePath] of photos.entries()) {
    // A photo WeChat has deleted meanwhile cannot come back: the record goes without it rather than never.
    if (!fileExists(filePath)) {
      console.warn('[commands] a queued photo is gone; the record goes without it', filePath);
      continue;
    }
    ids.push((await upload<AttachmentResponse>('/api/crm/attachments', filePath, `${idempotencyKey}.p${i}`)).attachment.id);
  }
  return { ...rest, attachmentIds: [...(rest.attachmentIds ?? []), ...ids] };
}

function fileExists(path: string): boolean {
  try {
    wx.getFileSystemManager().accessSync(path);
    return true;
  } catch {
    return false;
  }
}

/** `send`'s arguments, one tuple per command: a union of types cannot pair one type with another's request. */
type SendArgs<K extends CommandType> = { [P in K]: [type: P, req: CommandReq<P>, idempotencyKey?: string] }[K];

/** `sendCommand` spelled as a call: `send('task.assign', { id, assigneeId })`. */
export function send<K extends CommandType>(...[type, req, idempotencyKey]: SendArgs<K>): Promise<CommandRes<K>> {
  return sendCommand({ type, req }, idempotencyKey);
}

/** The record a command edits (`opportunity:12`), so later edits of it can be told apart; null for a create. */
export function commandRecord(command: AnyCommand): string | null {
  const id = (command.req as { id?: unknown }).id;
  return typeof id === 'number' ? `${command.type.slice(0, command.type.indexOf('.'))}:${id}` : null;
}

/** The version a command was made on, if it edits a versioned record. */
export function commandVersion(command: AnyCommand): number | undefined {
  const version = (command.req as { version?: unknown }).version;
  return typeof version === 'number' ? version : undefined;
}

function paramsOf(template: string, path: string): Record<string, number> | null {
  const want = template.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, number> = {};
  for (const [i, segment] of want.entries()) {
    const value = got[i] ?? '';
    if (!isParam(segment)) {
      if (segment !== value) return null;
      continue;
    }
    const n = Number(value);
    if (value === '' || !Number.isInteger(n)) return null;
    params[segment.slice(1)] = n;
  }
  return params;
}

/**
 * The command a request made before commands existed stands for (an offline queue item stored as
 * `{ method, path, body }` by an older version of the app); null if no route matches.
 */
export function commandFromRequest(method: string, path: string, body: Record<string, unknown> = {}): AnyCommand | null {
  for (const type of Object.keys(ROUTES) as CommandType[]) {
    const route = ROUTES[type];
    const params = route.method === method ? paramsOf(route.path, path) : null;
    // The stored body was built for this very route; the route's parameters complete the request.
    if (params) return { type, req: { ...body, ...params } } as AnyCommand;
  }
  return null;
}
