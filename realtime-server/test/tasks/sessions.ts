import { signIn } from '../support/clients.js';
import { connectWeapp, type WeappClient } from '../support/weapp.js';

export type Session = Awaited<ReturnType<typeof signIn>>;
export type Phone = Session & { client: WeappClient };

/** Signs several demo users in at once; the tuple keeps one typed session per login. */
export function signInAll<const L extends readonly string[]>(url: string, logins: L): Promise<{ -readonly [K in keyof L]: Session }> {
  return Promise.all(logins.map((l) => signIn(url, l))) as Promise<{ -readonly [K in keyof L]: Session }>;
}

/** Users signed in with a weapp.socket.io phone each; `closeAll()` hangs them all up. */
export function phoneBook() {
  const clients: WeappClient[] = [];
  return {
    async phone(url: string, login: string): Promise<Phone> {
      const session = await signIn(url, login);
      const client = await connectWeapp(url, session.token);
      clients.push(client);
      return { ...session, client };
    },
    closeAll(): void {
      for (const c of clients) c.close();
    },
  };
}
