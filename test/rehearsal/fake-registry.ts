/**
 * A package registry on 127.0.0.1 that serves one version of aws-cdk with
 * given bytes (a tampered tarball, or a mirror's copy of the real one) and
 * records every request. Loopback only; closes itself after 10 minutes.
 */
import { createHash } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';

/** npm's `integrity` of a tarball. */
export function integrity(bytes: Buffer): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

export class FakeRegistry {
  public readonly requests: string[] = [];
  private readonly server: http.Server;

  constructor(private readonly version: string, private readonly bytes: Buffer) {
    this.server = http.createServer((req, res) => {
      this.requests.push(req.url ?? '');
      const tgz = `/aws-cdk/-/aws-cdk-${this.version}.tgz`;
      if (req.url === tgz) {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        res.end(this.bytes);
      } else if (req.url === '/aws-cdk') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({
          'name': 'aws-cdk',
          'dist-tags': { latest: this.version },
          'versions': { [this.version]: { name: 'aws-cdk', version: this.version, bin: { cdk: 'bin/cdk' }, dist: { tarball: `${this.url}${tgz.slice(1)}`, integrity: integrity(this.bytes) } } },
        }));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
  }

  public async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    setTimeout(() => void this.stop(), 10 * 60_000).unref();
  }

  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  public async stop(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
