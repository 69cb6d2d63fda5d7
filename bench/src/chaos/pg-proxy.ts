/**
 * A TCP proxy in front of PostgreSQL (node:net) through which the API and the worker connect, so the chaos
 * run can make the database slow: with `latencyMs` > 0 every chunk, in either direction, is held that long
 * before it is passed on (order kept). When the upstream server dies, both sides of each connection are
 * closed, as a real network path would close them.
 */
import net from 'node:net';

export interface PgProxy {
  readonly port: number;
  /** Added to every chunk in each direction (0: none). */
  latencyMs: number;
  /** Connections open now. */
  readonly open: number;
  close(): Promise<void>;
}

export async function startPgProxy(upstream: { host: string; port: number }): Promise<PgProxy> {
  const sockets = new Set<net.Socket>();
  const state = { latencyMs: 0 };

  /** Forwards `from` → `to`, each chunk `latencyMs` later than it arrived (timers of equal delay fire in order). */
  const pipe = (from: net.Socket, to: net.Socket) => {
    from.on('data', (chunk) => {
      const ms = state.latencyMs;
      if (ms <= 0) {
        if (!to.destroyed) to.write(chunk);
        return;
      }
      from.pause();
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk);
        from.resume();
      }, ms);
    });
  };

  const server = net.createServer((client) => {
    const upstreamSocket = net.connect(upstream);
    sockets.add(client);
    sockets.add(upstreamSocket);
    client.setNoDelay(true);
    upstreamSocket.setNoDelay(true);
    const closeBoth = () => {
      client.destroy();
      upstreamSocket.destroy();
      sockets.delete(client);
      sockets.delete(upstreamSocket);
    };
    client.on('error', closeBoth);
    upstreamSocket.on('error', closeBoth);
    client.on('close', closeBoth);
    upstreamSocket.on('close', closeBoth);
    pipe(client, upstreamSocket);
    pipe(upstreamSocket, client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => undefined);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    get latencyMs() {
      return state.latencyMs;
    },
    set latencyMs(ms: number) {
      state.latencyMs = Math.max(0, ms);
    },
    get open() {
      return sockets.size / 2;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
