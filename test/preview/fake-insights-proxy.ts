/**
 * A stand-in for the Bitbucket Pipelines proxy (localhost:29418) that records
 * the Code Insights requests: forward-proxy form (absolute URL as request
 * target), answered as Bitbucket does (404 for deleting a report that is not
 * there, 200 with the stored object otherwise), or with a chosen failure.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface ProxiedRequest {
  readonly method: string;
  /** The request target: an absolute `http://api.bitbucket.org/...` URL through a proxy. */
  readonly target: string;
  readonly host?: string;
  readonly contentType?: string;
  readonly body?: any;
  readonly rawBody: string;
}

export interface FakeInsightsProxyOptions {
  /** Answer the report PUT with this status and body. */
  readonly failPut?: { status: number; body: string };
}

/** Bitbucket's documented limits, checked as Bitbucket does (400 with its message). */
function reportProblem(report: any): string | undefined {
  if (!report?.title) return 'The title field is required.';
  if ((report.data ?? []).length > 10) return 'A report cannot have more than 10 data fields.';
  if (!['PASSED', 'FAILED', 'PENDING'].includes(report.result)) return `Invalid result ${report.result}.`;
  return undefined;
}

function annotationsProblem(annotations: any): string | undefined {
  if (!Array.isArray(annotations)) return 'Expected an array of annotations.';
  if (annotations.length > 100) return 'Cannot create more than 100 annotations in one request.';
  for (const a of annotations) {
    if (!a.external_id) return 'The external_id field is required.';
    if (!a.summary) return 'The summary field is required.';
    if (a.summary.length > 450) return 'The summary field cannot contain more than 450 characters.';
  }
  return undefined;
}

export class FakeInsightsProxy {
  public readonly requests: ProxiedRequest[] = [];
  private readonly server: http.Server;
  private readonly annotationCount = new Map<string, number>();

  constructor(private readonly options: FakeInsightsProxyOptions = {}) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  public async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The report body of the last PUT. */
  public get report(): any {
    return [...this.requests].reverse().find((r) => r.method === 'PUT')?.body;
  }

  /** Every annotation posted, in order. */
  public get annotations(): any[] {
    return this.requests.filter((r) => r.method === 'POST').flatMap((r) => r.body);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf-8');
    let body: any;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const method = req.method ?? '';
    this.requests.push({ method, target: req.url ?? '', host: req.headers.host, contentType: req.headers['content-type'], body, rawBody });
    const json = (status: number, payload: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (!/^http:\/\/api\.bitbucket\.org\/2\.0\/repositories\/[^/]+\/[^/]+\/commit\/[0-9a-f]+\/reports\/[^/]+(\/annotations)?$/.test(req.url ?? '')) {
      return json(404, { type: 'error', error: { message: `Resource not found: ${req.url}` } });
    }
    if (method === 'DELETE') return json(404, { type: 'error', error: { message: 'Report not found' } });
    if (method === 'PUT' && this.options.failPut) {
      res.writeHead(this.options.failPut.status, { 'Content-Type': 'application/json' });
      res.end(this.options.failPut.body);
      return;
    }
    const reportUrl = (req.url ?? '').replace(/\/annotations$/, '');
    let refused = method === 'PUT' ? reportProblem(body) : method === 'POST' ? annotationsProblem(body) : undefined;
    if (!refused && method === 'PUT') this.annotationCount.set(reportUrl, 0);
    if (!refused && method === 'POST') {
      const total = (this.annotationCount.get(reportUrl) ?? 0) + body.length;
      if (total > 1000) refused = 'A report cannot have more than 1000 annotations.';
      else this.annotationCount.set(reportUrl, total);
    }
    if (refused) return json(400, { key: 'report-service.general.bad-request', message: refused, arguments: {} });
    if (method === 'PUT') return json(200, { ...body, uuid: '{report-uuid}' });
    if (method === 'POST') return json(200, (body ?? []).map((a: any) => ({ ...a, uuid: `{${a.external_id}}` })));
    json(405, { type: 'error', error: { message: `${method} not allowed` } });
  }
}
