/**
 * Posts a Code Insights report through the pipeline's authenticated proxy:
 * in a Bitbucket Pipelines step, plain-HTTP requests to
 * `http://api.bitbucket.org/2.0/...` sent to the proxy `http://localhost:29418`
 * are authenticated by Bitbucket, so no token is ever handled here.
 * `BITBUCKET_CDK_INSIGHTS_PROXY` points elsewhere (tests, self-hosted runners).
 */
import * as http from 'http';
import type { InsightsPayload } from './insights-report';
import { truncate } from './truncate';
import { MAX_ANNOTATIONS_PER_REPORT, MAX_ANNOTATIONS_PER_REQUEST } from '../pipeline/bitbucket-limits';

export const DEFAULT_INSIGHTS_PROXY = 'http://localhost:29418';
const API = 'http://api.bitbucket.org/2.0';
const TIMEOUT_MS = 30_000;
/** How much of an error answer is shown. */
const MAX_BODY_SHOWN = 2000;

export interface InsightsTarget {
  readonly workspace: string;
  readonly repoSlug: string;
  readonly commit: string;
  readonly proxy: URL;
}

/** Bitbucket (or the proxy) refused a request: the status and body, to show the user. */
export class InsightsPostError extends Error {
  constructor(public readonly method: string, public readonly url: string, public readonly status: number | undefined, public readonly body: string) {
    super(status === undefined
      ? `Code Insights: ${method} ${url} failed: ${body}`
      : `Code Insights: ${method} ${url} answered HTTP ${status}: ${truncate(body, MAX_BODY_SHOWN) || '(empty body)'}`);
    this.name = 'InsightsPostError';
  }
}

/** Where the report goes, from the pipeline's variables; a string says what is missing. */
export function insightsTarget(env: NodeJS.ProcessEnv): InsightsTarget | string {
  const full = env.BITBUCKET_REPO_FULL_NAME?.split('/');
  const workspace = full?.length === 2 ? full[0] : env.BITBUCKET_WORKSPACE ?? env.BITBUCKET_REPO_OWNER;
  const repoSlug = full?.length === 2 ? full[1] : env.BITBUCKET_REPO_SLUG;
  const commit = env.BITBUCKET_COMMIT;
  const missing = [
    ...(workspace && repoSlug ? [] : ['BITBUCKET_REPO_FULL_NAME']),
    ...(commit ? [] : ['BITBUCKET_COMMIT']),
  ];
  if (missing.length > 0) {
    return `--report posts to the commit of a Bitbucket Pipelines step, but ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set. `
      + 'Run it in a pipeline step, or leave --report out to only print the preview.';
  }
  if (!/^[0-9a-f]{7,40}$/i.test(commit!)) return `BITBUCKET_COMMIT ${JSON.stringify(commit)} is not a commit hash.`;
  const proxyText = env.BITBUCKET_CDK_INSIGHTS_PROXY || DEFAULT_INSIGHTS_PROXY;
  let proxy: URL;
  try {
    proxy = new URL(proxyText);
  } catch {
    return `BITBUCKET_CDK_INSIGHTS_PROXY ${JSON.stringify(proxyText)} is not a URL (expected e.g. ${DEFAULT_INSIGHTS_PROXY}).`;
  }
  if (proxy.protocol !== 'http:') return `BITBUCKET_CDK_INSIGHTS_PROXY ${JSON.stringify(proxyText)}: only an http:// proxy is supported.`;
  return { workspace: workspace!, repoSlug: repoSlug!, commit: commit!, proxy };
}

export function reportUrl(target: InsightsTarget, reportId: string): string {
  const e = encodeURIComponent;
  return `${API}/repositories/${e(target.workspace)}/${e(target.repoSlug)}/commit/${e(target.commit)}/reports/${e(reportId)}`;
}

/** One request through the proxy (absolute URL as request target); resolves to status and body. */
function send(proxy: URL, method: string, url: string, body?: unknown): Promise<{ status: number; body: string }> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: proxy.hostname,
      port: proxy.port || 80,
      method,
      path: url,
      headers: {
        Host: new URL(url).host,
        Accept: 'application/json',
        ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}),
      },
      timeout: TIMEOUT_MS,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf-8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from the proxy ${proxy.origin} within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

async function request(proxy: URL, method: string, url: string, body?: unknown): Promise<{ status: number; body: string }> {
  try {
    return await send(proxy, method, url, body);
  } catch (e) {
    throw new InsightsPostError(method, url, undefined, `${(e as Error).message} (proxy ${proxy.origin})`);
  }
}

/**
 * Replaces the report `payload.reportId` on the commit: deletes an earlier
 * one (a re-run of the step; its annotations would otherwise stay), puts the
 * report, then posts the annotations in batches. `log` gets one line per step.
 */
export async function postInsights(target: InsightsTarget, payload: InsightsPayload, log: (line: string) => void = () => undefined): Promise<void> {
  const url = reportUrl(target, payload.reportId);
  // Annotations outlive a PUT of their report (a re-run would keep those of changes no longer
  // there; reviewdog deletes first for the same reason, reviewdog#1344). 404 the first time;
  // any refusal here is harmless: the PUT below still replaces the report.
  await request(target.proxy, 'DELETE', url);

  const put = await request(target.proxy, 'PUT', url, payload.report);
  if (put.status < 200 || put.status >= 300) throw new InsightsPostError('PUT', url, put.status, put.body);
  log(`Code Insights report ${payload.reportId} (${payload.report.result}) posted to commit ${target.commit}.`);

  for (let i = 0; i < payload.annotations.length; i += MAX_ANNOTATIONS_PER_REQUEST) {
    const batch = payload.annotations.slice(i, i + MAX_ANNOTATIONS_PER_REQUEST);
    const posted = await request(target.proxy, 'POST', `${url}/annotations`, batch);
    if (posted.status < 200 || posted.status >= 300) throw new InsightsPostError('POST', `${url}/annotations`, posted.status, posted.body);
  }
  if (payload.annotations.length > 0) {
    log(`${payload.annotations.length} annotation${payload.annotations.length === 1 ? '' : 's'} posted`
      + `${payload.omitted > 0 ? ` (${payload.omitted} changes left out: Bitbucket keeps at most ${MAX_ANNOTATIONS_PER_REPORT} per report)` : ''}.`);
  }
}
