/* global URL */
// A teammate with the same record open on their own phone: a real Socket.IO client that joins the
// record's presence, so the page shows who else is looking because the server says so.
import { createRequire } from 'node:module';

// The server's own client (v4); the copy at the top of node_modules is weapp.socket.io's v3.
const { io } = createRequire(new URL('../../realtime-server/package.json', import.meta.url))('socket.io-client');

/** Joins presence on `resource` (e.g. `customer:12`) as `login`; answers { close }. */
export async function joinAs(server, login, resource) {
  const person = server.people[login];
  if (!person) throw new Error(`previews: ${login} is not signed in on the preview server`);
  const socket = io(server.url, { auth: { token: person.token }, transports: ['websocket'], reconnection: false });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const ack = await socket.timeout(5000).emitWithAck('presence:join', { resource });
  if (!ack?.ok) throw new Error(`previews: ${login} could not join ${resource}: ${JSON.stringify(ack)}`);
  return { close: () => socket.close() };
}
