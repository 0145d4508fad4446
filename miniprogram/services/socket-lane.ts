import type { OpportunityMoveCommand, OpportunityMoveResult } from '@live-crm/shared-types';
import { ApiError, errorFromAck } from './api';
import type { QueuedMutation } from './offline-queue';
import { CommandError } from './realtime-errors';
import type { ConnectionStatus } from './realtime-client';

/** What the queue needs of the realtime client to send a move over the socket it already holds. */
export interface SocketLane {
  status(): ConnectionStatus;
  command(event: 'opportunity:move', req: OpportunityMoveCommand): Promise<OpportunityMoveResult>;
}

const MOVE_PATH = /^\/api\/crm\/opportunities\/(\d+)\/move$/;

/**
 * While the realtime socket is online a move goes over it (`opportunity:move`): no HTTP request on
 * the phone or the server, the same answer or refusal, and the same Idempotency-Key, so a retry may
 * take either way. null: not a move, or no socket; use REST.
 */
export function sendOverSocket(lane: SocketLane, item: QueuedMutation): Promise<unknown> | null {
  const match = MOVE_PATH.exec(item.path);
  const stageId = item.body?.['stageId'];
  const version = item.body?.['version'];
  if (item.method !== 'PUT' || !match || typeof stageId !== 'number' || typeof version !== 'number' || lane.status() !== 'online') return null;
  return lane.command('opportunity:move', { id: Number(match[1]), stageId, version, idempotencyKey: item.id }).catch((err: unknown) => {
    // No ack (timeout, dropped socket) is a network failure: the item stays queued under its key.
    throw err instanceof CommandError ? errorFromAck(err.code, err.message, err.current) : new ApiError(0, 'network', String(err));
  });
}
