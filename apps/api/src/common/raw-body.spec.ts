import { PassThrough } from 'node:stream';
import { BodyTooLarge, readRawBody } from './raw-body.js';

const request = (headers: Record<string, string> = {}) => Object.assign(new PassThrough(), { headers });

describe('readRawBody', () => {
  it('collects the chunks of a body within the limit', async () => {
    const req = request();
    const p = readRawBody(req, 10);
    req.write(Buffer.from('%PDF'));
    req.end(Buffer.from('-1.4'));
    expect((await p).toString()).toBe('%PDF-1.4');
  });

  it('refuses a declared length over the limit without reading', async () => {
    const req = request({ 'content-length': '11' });
    await expect(readRawBody(req, 10)).rejects.toBeInstanceOf(BodyTooLarge);
  });

  it('refuses a body that grows over the limit, and keeps draining the rest', async () => {
    const req = request();
    const p = readRawBody(req, 10);
    req.write(Buffer.alloc(8));
    req.write(Buffer.alloc(8));
    await expect(p).rejects.toMatchObject({ limit: 10 });
    req.end(Buffer.alloc(1000));
    await new Promise((r) => req.on('end', r));
    expect(req.readableEnded).toBe(true); // drained to the end, not destroyed mid-way
  });

  it('reads an empty body as zero bytes', async () => {
    const req = request();
    const p = readRawBody(req, 10);
    req.end();
    expect((await p).length).toBe(0);
  });
});
