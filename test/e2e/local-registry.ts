/**
 * An npm registry on 127.0.0.1 for the end-to-end tests: it serves the given
 * packed packages as if they were published (packument and tarball), and
 * passes every other request on to the public registry. It proxies rather
 * than redirects: npm caches a redirected answer under the address it was
 * sent to, so an offline `npm ci` against this registry would find nothing. npm then resolves
 * `projen-bitbucket-cdk@^x.y.z` exactly as it will once the package is
 * published, with no `file:` specs in the files a user writes.
 *
 * The server runs in its own process: the tests drive npm with spawnSync,
 * which blocks the test process's event loop.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** A package the registry serves. */
export interface ServedPackage {
  readonly name: string;
  readonly version: string;
  /** The tarball; its package.json must carry `name` and `version`. */
  readonly tarball: string;
}

export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/`, for `npm_config_registry`. */
  readonly url: string;
  /** Stops the server process. */
  stop(): void;
}

const UPSTREAM = 'https://registry.npmjs.org';

/** The server: plain Node.js, configured through the environment. */
const SERVER_SOURCE = `
const http = require('http');
const https = require('https');
const fs = require('fs');
const served = JSON.parse(process.env.SERVED_PACKAGES);
const missing = JSON.parse(process.env.MISSING_PACKAGES);
const server = http.createServer((req, res) => {
  const url = decodeURIComponent(req.url.split('?')[0]);
  if (missing.some((name) => url === '/' + name || url.startsWith('/' + name + '/'))) {
    res.writeHead(404, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ error: 'Not found' }));
  }
  for (const p of served) {
    const file = '/' + p.name + '/-/' + p.file;
    if (url === '/' + p.name) {
      const base = 'http://127.0.0.1:' + server.address().port;
      const manifest = { ...p.manifest, _id: p.name + '@' + p.version, dist: { tarball: base + '/' + p.name + '/-/' + p.file, integrity: p.integrity, shasum: p.shasum } };
      const body = JSON.stringify({ _id: p.name, name: p.name, 'dist-tags': { latest: p.version }, versions: { [p.version]: manifest }, time: { [p.version]: new Date().toISOString() } });
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' });
      return res.end(body);
    }
    if (url === file) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return fs.createReadStream(p.tarball).pipe(res);
    }
  }
  const headers = req.headers.accept ? { accept: req.headers.accept } : {};
  https.get(${JSON.stringify(UPSTREAM)} + req.url, { headers }, (up) => {
    const kept = {};
    for (const h of ['content-type', 'content-length', 'etag', 'last-modified', 'location']) if (up.headers[h]) kept[h] = up.headers[h];
    res.writeHead(up.statusCode, kept);
    up.pipe(res);
  }).on('error', (e) => { res.writeHead(502, { 'content-type': 'text/plain' }); res.end(String(e)); });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => process.exit(0));
`;

/**
 * Starts the registry; resolves once it listens. Names in `missing` are
 * answered 404, as a registry that never had them.
 */
export async function startLocalRegistry(packages: ServedPackage[], missing: string[] = []): Promise<LocalRegistry> {
  const served = packages.map((p) => {
    const data = fs.readFileSync(p.tarball);
    const manifest = JSON.parse(execFileSync('tar', ['xzOf', p.tarball, 'package/package.json'], { encoding: 'utf-8' }));
    if (manifest.name !== p.name || manifest.version !== p.version) {
      throw new Error(`${p.tarball} holds ${manifest.name}@${manifest.version}, not ${p.name}@${p.version}`);
    }
    return {
      ...p,
      manifest,
      file: `${p.name.split('/').pop()}-${p.version}.tgz`,
      integrity: `sha512-${crypto.createHash('sha512').update(data).digest('base64')}`,
      shasum: crypto.createHash('sha1').update(data).digest('hex'),
    };
  });
  const child: ChildProcess = spawn(process.execPath, ['-e', SERVER_SOURCE], {
    env: {
      PATH: process.env.PATH,
      // A machine behind a TLS-inspecting proxy trusts its CA through these; the upstream requests need them too.
      ...Object.fromEntries(['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR'].filter((k) => process.env[k]).map((k) => [k, process.env[k]])),
      SERVED_PACKAGES: JSON.stringify(served),
      MISSING_PACKAGES: JSON.stringify(missing),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the local registry exited (${code})`)));
    child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
  });
  child.removeAllListeners('exit');
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: () => { child.kill('SIGTERM'); },
  };
}

/**
 * A copy of a packed package with another version in its package.json and
 * .jsii (jsii reads the version of a dependency from its assembly), so the
 * repository's unreleased 0.0.0 can stand for the version a guide names.
 */
export function repackWithVersion(tarball: string, version: string, destination: string): string {
  const work = fs.mkdtempSync(path.join(destination, 'repack-'));
  execFileSync('tar', ['xzf', tarball, '-C', work]);
  for (const file of ['package.json', '.jsii']) {
    const target = path.join(work, 'package', file);
    if (!fs.existsSync(target)) continue;
    const json = JSON.parse(fs.readFileSync(target, 'utf-8'));
    json.version = version;
    fs.writeFileSync(target, JSON.stringify(json, null, 2));
  }
  const name = JSON.parse(fs.readFileSync(path.join(work, 'package', 'package.json'), 'utf-8')).name as string;
  const out = path.join(destination, `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
  execFileSync('tar', ['czf', out, '-C', work, 'package']);
  fs.rmSync(work, { recursive: true, force: true });
  return out;
}
