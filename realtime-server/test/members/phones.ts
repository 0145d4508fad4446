import { connectWeapp, type WeappClient } from '../support/weapp.js';

/** A phone's socket plus how it ended: resolves with the disconnect reason ('io server disconnect' when the server closed it). */
export async function watchedPhone(url: string, token: string, sockets: WeappClient[]): Promise<WeappClient & { closed: Promise<string> }> {
  const client = await connectWeapp(url, token);
  sockets.push(client);
  const closed = new Promise<string>((resolve) => client.socket.on('disconnect', (reason: string) => resolve(reason)));
  return Object.assign(client, { closed });
}

export const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} not within ${ms} ms`)), ms))]);
