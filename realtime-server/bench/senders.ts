import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { Ack, OpportunityMoveResult } from '@live-crm/shared-types';
import type { BenchSocket } from './bench-client.js';

/** One connected bench client: a rep with one deal it moves back and forth between two stages. */
export interface Member {
  userId: number;
  token: string;
  oppId: number;
  version: number;
  stageId: number;
  /** The two open stages the deal alternates between. */
  stages: [number, number];
  teamId: number;
  url: string;
  socket?: BenchSocket;
  busy?: boolean;
}

/** Sends one move for `m` and resolves true once the server accepted it. */
export type Sender = (m: Member) => Promise<boolean>;

/** Sees a command's arguments and its ack's, to size the frames (peer.ts). */
export type Observe = (sent: unknown[], answer: unknown[]) => void;

export const nextStage = (m: Member): number => (m.stageId === m.stages[0] ? m.stages[1] : m.stages[0]);

interface HttpAnswer {
  status: number;
  body: any;
}
interface Target {
  agent: Agent;
  hostname: string;
  port: string;
}

function put(to: Target, path: string, token: string, payload: unknown, key: string): Promise<HttpAnswer> {
  const body = JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent: to.agent,
        hostname: to.hostname,
        port: to.port,
        path,
        method: 'PUT',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'idempotency-key': key,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Ours: the mini program's move, `PUT /api/crm/opportunities/:id/move` with the version it holds and,
 * like every write the mini program sends, a fresh Idempotency-Key.
 */
export function restSender(): Sender {
  const targets = new Map<string, Target>();
  const targetFor = (url: string) => {
    let t = targets.get(url);
    if (!t) {
      const { hostname, port } = new URL(url);
      targets.set(url, (t = { agent: new Agent({ keepAlive: true, maxSockets: 128 }), hostname, port }));
    }
    return t;
  };
  return async (m) => {
    const stageId = nextStage(m);
    const res = await put(
      targetFor(m.url),
      `/api/crm/opportunities/${m.oppId}/move`,
      m.token,
      { stageId, version: m.version },
      randomUUID(),
    ).catch((): HttpAnswer => ({ status: 0, body: null }));
    const fresh = res.status === 200 ? res.body.opportunity : res.status === 409 ? res.body.current : null;
    if (fresh) {
      m.version = fresh.version;
      m.stageId = fresh.stageId;
    }
    if (res.status !== 200 && process.env['BENCH_DEBUG'])
      process.stderr.write(`move ${m.oppId}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}\n`);
    return res.status === 200;
  };
}

/**
 * Ours as the mini program moves while its socket is online (services/socket-lane.ts):
 * `opportunity:move` with the version it holds and a fresh Idempotency-Key, answered by ack.
 */
export function socketSender(observe?: Observe): Sender {
  return (m) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      const cmd = { id: m.oppId, stageId: nextStage(m), version: m.version, idempotencyKey: randomUUID() };
      m.socket!.emit('opportunity:move', cmd, (res: Ack<OpportunityMoveResult>) => {
        clearTimeout(timer);
        observe?.(['opportunity:move', cmd], [res]);
        const fresh = (res.ok ? res.data.opportunity : res.current) as { version: number; stageId: number } | undefined;
        if (fresh) {
          m.version = fresh.version;
          m.stageId = fresh.stageId;
        }
        if (!res.ok && process.env['BENCH_DEBUG']) process.stderr.write(`move ${m.oppId}: ${JSON.stringify(res).slice(0, 300)}\n`);
        resolve(res.ok);
      });
    });
}

/** How ours moves: over the socket (the mini program online; default) or REST (BENCH_MOVE=rest). */
export const moveTransport = (): 'socket' | 'rest' => (process.env['BENCH_MOVE'] === 'rest' ? 'rest' : 'socket');

/**
 * Bare: the same envelope shape and size, sent over the socket for the server to forward to the
 * room. `sample` is an envelope ours delivered in the same run.
 */
export function bareSender(sample: any): Sender {
  let seq = 0;
  return (m) =>
    new Promise((resolve) => {
      const stageId = nextStage(m);
      const version = m.version + 1;
      const opportunity = { ...sample.data.opportunity, id: m.oppId, version, stageId };
      const envelope = {
        ...sample,
        seq: ++seq,
        teamId: m.teamId,
        actorId: m.userId,
        at: new Date().toISOString(),
        data: { ...sample.data, opportunity, fromStageId: m.stageId, toStageId: stageId },
      };
      const timer = setTimeout(() => resolve(false), 10_000);
      m.socket!.emit('fwd', envelope, () => {
        clearTimeout(timer);
        m.version = version;
        m.stageId = stageId;
        resolve(true);
      });
    });
}
