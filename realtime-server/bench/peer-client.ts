/**
 * The peer's protocol seen from a client (Socket.IO's basic CRUD example, see peer.ts): each client
 * owns one to-do, created with `todo:create`; an update is `todo:update` {id, title, completed},
 * acknowledged with no payload and broadcast to every other socket as `todo:updated`.
 */
import { flightKey } from './drive.js';
import { nextStage, type Member, type Observe, type Sender } from './senders.js';

interface TodoAck {
  data?: string;
  error?: string;
}
interface Todo {
  id: string;
  title: string;
  completed: boolean;
}

/** The to-do each client updates, by the member's deal id (the key the recorder matches on). */
const todoIds = new Map<number, string>();

// A to-do as a rep would write it; the deal id and revision at its end tie a broadcast to its update.
const titleFor = (m: Member, version: number) => `回访上海明达贸易，确认年度采购框架协议报价 #${m.oppId}:${version}`;
const KEY = /#(\d+):(\d+)$/;

export function createTodo(m: Member, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('todo:create timed out')), timeoutMs);
    m.socket!.emit('todo:create', { title: titleFor(m, m.version), completed: false }, (res: TodoAck) => {
      clearTimeout(timer);
      if (!res?.data) return reject(new Error(`todo:create refused: ${JSON.stringify(res)}`));
      todoIds.set(m.oppId, res.data);
      resolve();
    });
  });
}

/** Calls `receipt` with the recorder's key for every `todo:updated` this socket gets. */
export function listenPeer(socket: NonNullable<Member['socket']>, receipt: (key: string, todo: Todo) => void): void {
  socket.on('todo:updated', (todo: Todo) => {
    const k = KEY.exec(todo.title);
    if (k) receipt(flightKey(Number(k[1]), Number(k[2])), todo);
  });
}

/** The peer's update: the title carries the next revision, `completed` flips like a deal's stage. */
export function peerSender(observe?: Observe): Sender {
  return (m) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      const stageId = nextStage(m);
      const cmd = { id: todoIds.get(m.oppId), title: titleFor(m, m.version + 1), completed: stageId === m.stages[1] };
      m.socket!.emit('todo:update', cmd, (res?: TodoAck) => {
        clearTimeout(timer);
        observe?.(['todo:update', cmd], res === undefined ? [] : [res]);
        const ok = !res?.error;
        if (ok) {
          m.version += 1;
          m.stageId = stageId;
        } else if (process.env['BENCH_DEBUG']) process.stderr.write(`todo ${cmd.id}: ${JSON.stringify(res)}\n`);
        resolve(ok);
      });
    });
}
