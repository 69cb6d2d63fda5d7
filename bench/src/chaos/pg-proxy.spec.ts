import net from 'node:net';
import { startPgProxy } from './pg-proxy.js';

describe('startPgProxy', () => {
  let upstream: net.Server;
  let port: number;
  beforeAll(async () => {
    upstream = net.createServer((s) => s.on('data', (b) => s.write(b))); // echo
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    port = (upstream.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => upstream.close(() => r())));

  const roundTrip = (proxyPort: number) =>
    new Promise<number>((resolve, reject) => {
      const s = net.connect(proxyPort, '127.0.0.1');
      const t0 = Date.now();
      s.on('connect', () => s.write('ping'));
      s.on('data', () => {
        resolve(Date.now() - t0);
        s.destroy();
      });
      s.on('error', reject);
    });

  it('passes bytes through, and adds the latency in each direction when told', async () => {
    const proxy = await startPgProxy({ host: '127.0.0.1', port });
    try {
      const plain = await roundTrip(proxy.port);
      proxy.latencyMs = 200;
      const slow = await roundTrip(proxy.port);
      // 200 ms there and 200 ms back, on top of whatever the plain round trip took.
      expect(slow).toBeGreaterThanOrEqual(390);
      expect(slow - plain).toBeGreaterThanOrEqual(300);
    } finally {
      await proxy.close();
    }
  });

  it('closes the client side when the upstream server is gone', async () => {
    const dead = await new Promise<number>((r) => {
      const s = net.createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => r(p));
      });
    });
    const proxy = await startPgProxy({ host: '127.0.0.1', port: dead });
    try {
      const closed = await new Promise<boolean>((resolve) => {
        const s = net.connect(proxy.port, '127.0.0.1');
        s.on('close', () => resolve(true));
        s.on('error', () => undefined);
      });
      expect(closed).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});
