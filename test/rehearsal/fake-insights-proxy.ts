/**
 * A stand-in for the authenticated proxy every Bitbucket Pipelines step has
 * on `http://localhost:29418`, and for the Code Insights part of the
 * Bitbucket API behind it: an HTTP forward proxy on 127.0.0.1 that records
 * every request (method, absolute URL, headers, JSON body) and answers
 * requests for `http://api.bitbucket.org/2.0/repositories/<workspace>/<repo>/commit/<commit>/reports...`
 * as Bitbucket Cloud does: PUT of a report (200, the report), POST of
 * annotations in bulk (200, the annotations), GET and DELETE.
 *
 * It checks what Bitbucket checks and answers 400 with Bitbucket's error
 * shape otherwise: the report's `title` and `report_type`, enums, at most 10
 * `data` items; per annotation `external_id`, `annotation_type` and a
 * `summary` of at most 450 characters; at most 100 annotations per request
 * and 1000 per report; annotations only for an existing report. A PUT
 * replaces the report and drops its annotations.
 *
 * It does not authenticate anything (the real proxy adds the step's
 * credentials) and serves no other API: other hosts or paths answer 403/404.
 */
import { randomUUID } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface ProxiedRequest {
  readonly seq: number;
  readonly method: string;
  /** As the client sent it on the request line: absolute for a proxy request. */
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  /** Raw body text. */
  readonly body: string;
  /** Parsed JSON body; undefined when there is none or it is not JSON. */
  readonly json?: any;
  readonly status: number;
  /** What was answered (JSON). */
  readonly response?: any;
}

export interface StoredReport {
  readonly workspace: string;
  readonly repository: string;
  readonly commit: string;
  readonly reportId: string;
  readonly report: any;
  readonly annotations: any[];
}

/** Bitbucket's documented limits, checked on every request. */
export const INSIGHTS_LIMITS = {
  summary: 450,
  annotationsPerRequest: 100,
  annotationsPerReport: 1000,
  dataItems: 10,
};

const REPORT_TYPES = ['SECURITY', 'COVERAGE', 'TEST', 'BUG'];
const REPORT_RESULTS = ['PASSED', 'FAILED', 'PENDING'];
const DATA_TYPES = ['BOOLEAN', 'DATE', 'DURATION', 'LINK', 'NUMBER', 'PERCENTAGE', 'TEXT'];
const ANNOTATION_TYPES = ['VULNERABILITY', 'CODE_SMELL', 'BUG'];
const ANNOTATION_RESULTS = ['PASSED', 'FAILED', 'SKIPPED', 'IGNORED'];
const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

const REPORTS_PATH = /^\/2\.0\/repositories\/([^/]+)\/([^/]+)\/commit\/([^/]+)\/reports\/([^/]+)(\/annotations)?\/?$/;

class InsightsError extends Error {
  constructor(public readonly status: number, message: string) {
    super(message);
  }
}

export class FakeInsightsProxy {
  public readonly requests: ProxiedRequest[] = [];
  private readonly reports = new Map<string, StoredReport>();
  private readonly server: http.Server;
  private seq = 0;
  /** Status to answer the next requests with (e.g. 503), instead of handling them. */
  private failing?: number;

  constructor() {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    // HTTPS through the proxy (CONNECT): the pipeline's proxy is documented for plain http only.
    this.server.on('connect', (req: http.IncomingMessage, socket) => {
      this.requests.push({ seq: ++this.seq, method: 'CONNECT', url: req.url ?? '', headers: req.headers, body: '', status: 405 });
      socket.end('HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n');
    });
  }

  /** Listens on 127.0.0.1; returns the proxy URL (what `BITBUCKET_CDK_INSIGHTS_PROXY` gets). Closes itself after 15 minutes at most. */
  public async start(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    setTimeout(() => void this.stop(), 15 * 60_000).unref();
    return this.url;
  }

  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** From now on, answer every request with `status` (undefined: back to normal). */
  public failWith(status: number | undefined): void {
    this.failing = status;
  }

  /** Requests recorded since `mark` (a value of `requests.length`). */
  public since(mark: number): ProxiedRequest[] {
    return this.requests.slice(mark);
  }

  /** The report stored under `reportId` on `commit`, with its annotations, as Bitbucket would show it. */
  public report(commit: string, reportId: string): StoredReport | undefined {
    return [...this.reports.values()].find((r) => r.commit === commit && r.reportId === reportId);
  }

  /** Every stored report. */
  public allReports(): StoredReport[] {
    return [...this.reports.values()];
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.socket.remoteAddress !== '127.0.0.1' && req.socket.remoteAddress !== '::ffff:127.0.0.1') {
      res.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf-8');
    let json: any;
    try {
      json = body ? JSON.parse(body) : undefined;
    } catch { /* not JSON: answered below */ }
    const method = req.method ?? 'GET';
    const url = req.url ?? '';
    const answer = (status: number, payload?: any) => {
      this.requests.push({ seq: ++this.seq, method, url, headers: req.headers, body, json, status, response: payload });
      if (payload === undefined) {
        res.writeHead(status);
        res.end();
      } else {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(payload));
      }
    };
    if (this.failing) return answer(this.failing, { type: 'error', error: { message: `rehearsal: the proxy answers ${this.failing}` } });
    try {
      const [status, payload] = this.route(method, url, body, json);
      answer(status, payload);
    } catch (e) {
      const err = e instanceof InsightsError ? e : new InsightsError(500, String(e));
      answer(err.status, { key: 'report-service.general.bad-request', message: err.message, arguments: {} });
    }
  }

  private route(method: string, rawUrl: string, body: string, json: any): [number, any] {
    // A forward proxy gets the absolute URL on the request line; a plain request here is a client not using it as a proxy.
    if (!/^https?:\/\//.test(rawUrl)) throw new InsightsError(400, `not a proxy request (request line ${rawUrl}): send the absolute http://api.bitbucket.org/... URL to the proxy`);
    const url = new URL(rawUrl);
    if (url.protocol !== 'http:' || url.host !== 'api.bitbucket.org') throw new InsightsError(403, `the pipeline proxy only serves http://api.bitbucket.org, not ${url.protocol}//${url.host}`);
    const m = REPORTS_PATH.exec(url.pathname);
    if (!m) throw new InsightsError(404, `rehearsal: no Code Insights resource at ${url.pathname}`);
    const [, workspace, repository, commit, reportId, annotations] = m.map((v) => (v === undefined ? v : decodeURIComponent(v)));
    const key = `${workspace}/${repository}/${commit}/${reportId}`;
    const stored = this.reports.get(key);
    if (!annotations) {
      if (method === 'PUT') {
        if (json === undefined || typeof json !== 'object' || Array.isArray(json)) throw new InsightsError(400, `the report must be a JSON object (got ${body.slice(0, 40) || 'nothing'})`);
        checkReport(json);
        const now = new Date().toISOString();
        const report = { ...json, type: 'report', uuid: stored?.report.uuid ?? `{${randomUUID()}}`, external_id: json.external_id ?? reportId, created_on: stored?.report.created_on ?? now, updated_on: now };
        this.reports.set(key, { workspace, repository, commit, reportId, report, annotations: [] });
        return [200, report];
      }
      if (method === 'GET') {
        if (!stored) throw new InsightsError(404, `Report ${reportId} not found.`);
        return [200, stored.report];
      }
      if (method === 'DELETE') {
        this.reports.delete(key);
        return [204, undefined];
      }
      throw new InsightsError(405, `${method} is not allowed on a report`);
    }
    if (!stored) throw new InsightsError(404, `Report ${reportId} not found: create the report (PUT) before its annotations.`);
    if (method === 'GET') return [200, { values: stored.annotations, pagelen: stored.annotations.length, page: 1, size: stored.annotations.length }];
    if (method !== 'POST') throw new InsightsError(405, `${method} is not allowed on annotations (bulk create is POST)`);
    if (!Array.isArray(json)) throw new InsightsError(400, 'annotations are posted as a JSON array');
    if (json.length > INSIGHTS_LIMITS.annotationsPerRequest) throw new InsightsError(400, `at most ${INSIGHTS_LIMITS.annotationsPerRequest} annotations per request (got ${json.length})`);
    json.forEach(checkAnnotation);
    const created = json.map((a) => {
      const existing = stored.annotations.findIndex((x) => x.external_id === a.external_id);
      const annotation = { ...a, type: 'report_annotation', uuid: `{${randomUUID()}}`, created_on: new Date().toISOString() };
      if (existing >= 0) stored.annotations[existing] = annotation;
      else stored.annotations.push(annotation);
      return annotation;
    });
    if (stored.annotations.length > INSIGHTS_LIMITS.annotationsPerReport) {
      stored.annotations.splice(stored.annotations.length - created.length, created.length);
      throw new InsightsError(400, `a report holds at most ${INSIGHTS_LIMITS.annotationsPerReport} annotations`);
    }
    return [200, created];
  }
}

function oneOf(value: unknown, allowed: string[], field: string): void {
  if (value !== undefined && !allowed.includes(value as string)) throw new InsightsError(400, `${field} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
}

function checkReport(report: any): void {
  if (typeof report.title !== 'string' || !report.title) throw new InsightsError(400, 'The title field is required.');
  if (report.report_type === undefined) throw new InsightsError(400, 'The report_type field is required.');
  oneOf(report.report_type, REPORT_TYPES, 'report_type');
  oneOf(report.result, REPORT_RESULTS, 'result');
  if (report.data !== undefined) {
    if (!Array.isArray(report.data)) throw new InsightsError(400, 'data must be an array');
    if (report.data.length > INSIGHTS_LIMITS.dataItems) throw new InsightsError(400, `A report can have at most ${INSIGHTS_LIMITS.dataItems} data fields (got ${report.data.length}).`);
    for (const item of report.data) {
      if (typeof item?.title !== 'string') throw new InsightsError(400, 'every data field needs a title');
      oneOf(item.type, DATA_TYPES, 'data type');
    }
  }
}

function checkAnnotation(a: any): void {
  if (!a || typeof a !== 'object') throw new InsightsError(400, 'an annotation must be a JSON object');
  if (typeof a.external_id !== 'string' || !a.external_id) throw new InsightsError(400, 'The external_id field is required.');
  if (a.annotation_type === undefined) throw new InsightsError(400, 'The annotation_type field is required.');
  oneOf(a.annotation_type, ANNOTATION_TYPES, 'annotation_type');
  if (typeof a.summary !== 'string' || !a.summary) throw new InsightsError(400, 'The summary field is required.');
  if (a.summary.length > INSIGHTS_LIMITS.summary) throw new InsightsError(400, `The summary field cannot contain more than ${INSIGHTS_LIMITS.summary} characters.`);
  oneOf(a.severity, SEVERITIES, 'severity');
  oneOf(a.result, ANNOTATION_RESULTS, 'result');
  if (a.line !== undefined && (!Number.isInteger(a.line) || a.line < 1)) throw new InsightsError(400, `line must be a positive integer (got ${JSON.stringify(a.line)})`);
}
