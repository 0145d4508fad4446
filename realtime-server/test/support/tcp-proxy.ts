import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

interface Link {
  client: Socket;
  upstream: Socket;
  backendPort: number;
}

export interface TcpProxy {
  port: number;
  url: string;
  /** While true, bytes from the servers are swallowed: requests arrive, answers (acks) never do. */
  dropResponses: boolean;
  /** Open client connections per backend port. */
  linksByBackend(): Map<number, number>;
  /** Which backend each new connection went to, in order (for "went to a live node" checks). */
  readonly routed: number[];
  /** Cuts every open connection as a dead network path would. */
  cutAll(): void;
  close(): Promise<void>;
}

/**
 * What a TCP load balancer does, in the test process: each new client connection goes to the next
 * backend round-robin, skipping backends that refuse; when a backend dies its connections are cut.
 */
export async function startTcpProxy(backendPorts: number[], host = '127.0.0.1'): Promise<TcpProxy> {
  const links = new Set<Link>();
  const routed: number[] = [];
  let next = 0;

  /** Tries the backends in turn from `first`; a refused one hands the connection to the next. */
  function attach(client: Socket, first: number, attempt = 0): void {
    if (attempt >= backendPorts.length || client.destroyed) {
      client.destroy();
      return;
    }
    const backendPort = backendPorts[(first + attempt) % backendPorts.length]!;
    const upstream = connect({ port: backendPort, host });
    upstream.once('error', () => attach(client, first, attempt + 1));
    upstream.once('connect', () => {
      upstream.removeAllListeners('error');
      const link: Link = { client, upstream, backendPort };
      links.add(link);
      routed.push(backendPort);
      const end = () => {
        links.delete(link);
        client.destroy();
        upstream.destroy();
      };
      for (const s of [client, upstream]) {
        s.setNoDelay(true);
        s.on('error', end);
        s.on('close', end);
      }
      client.on('data', (chunk) => upstream.write(chunk));
      upstream.on('data', (chunk) => {
        if (!proxy.dropResponses) client.write(chunk);
      });
      client.resume();
    });
  }

  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    client.on('error', () => client.destroy());
    attach(client, next++);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;

  const proxy: TcpProxy = {
    port,
    url: `http://${host}:${port}`,
    dropResponses: false,
    routed,
    linksByBackend() {
      const out = new Map<number, number>();
      for (const l of links) out.set(l.backendPort, (out.get(l.backendPort) ?? 0) + 1);
      return out;
    },
    cutAll() {
      for (const l of [...links]) {
        l.client.destroy();
        l.upstream.destroy();
      }
      links.clear();
    },
    async close() {
      proxy.cutAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
