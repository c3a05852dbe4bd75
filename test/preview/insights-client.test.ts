import { FakeInsightsProxy } from './fake-insights-proxy';
import { manyAdditions, previewOf } from './report-fixtures';
import { insightsTarget, InsightsTarget, postInsights } from '../../src/preview/insights-client';
import { buildInsights } from '../../src/preview/insights-report';

const COMMIT = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
let proxy: FakeInsightsProxy;
let target: InsightsTarget;

beforeEach(async () => {
  proxy = new FakeInsightsProxy();
  const url = await proxy.start();
  target = insightsTarget({ BITBUCKET_REPO_FULL_NAME: 'acme/shop', BITBUCKET_COMMIT: COMMIT, BITBUCKET_CDK_INSIGHTS_PROXY: url }) as InsightsTarget;
});
afterEach(() => proxy.stop());

test('250 annotations: the report, then three POSTs of at most 100 (what Bitbucket accepts)', async () => {
  const lines: string[] = [];
  await postInsights(target, buildInsights(previewOf(manyAdditions(250)), { diffFile: 'd' }), (l) => lines.push(l));
  expect(proxy.requests.map((r) => `${r.method} ${Array.isArray(r.body) ? r.body.length : ''}`)).toEqual(['DELETE ', 'PUT ', 'POST 100', 'POST 100', 'POST 50']);
  expect(lines).toEqual([`Code Insights report cdk-preview-dev (PASSED) posted to commit ${COMMIT}.`, '250 annotations posted.']);
});

test('1200 changes: 1000 annotations in 10 requests, all accepted by a report that holds at most 1000', async () => {
  const lines: string[] = [];
  await postInsights(target, buildInsights(previewOf(manyAdditions(1200)), { diffFile: 'd' }), (l) => lines.push(l));
  expect(proxy.requests.filter((r) => r.method === 'POST')).toHaveLength(10);
  expect(proxy.annotations).toHaveLength(1000);
  expect(lines[1]).toBe('1000 annotations posted (201 changes left out: Bitbucket keeps at most 1000 per report).');
});

test('no annotations: only the report', async () => {
  await postInsights(target, buildInsights(previewOf([]), { diffFile: 'd' }));
  expect(proxy.requests.map((r) => r.method)).toEqual(['DELETE', 'PUT']);
  expect(proxy.report).toMatchObject({ title: 'CDK preview dev: no changes', result: 'PASSED' });
});

test('where the report goes comes from the pipeline variables; what is missing is named', () => {
  expect(insightsTarget({ BITBUCKET_REPO_FULL_NAME: 'acme/shop', BITBUCKET_COMMIT: COMMIT })).toMatchObject({
    workspace: 'acme', repoSlug: 'shop', commit: COMMIT, proxy: new URL('http://localhost:29418'),
  });
  expect(insightsTarget({ BITBUCKET_WORKSPACE: 'acme', BITBUCKET_REPO_SLUG: 'shop', BITBUCKET_COMMIT: COMMIT })).toMatchObject({ workspace: 'acme', repoSlug: 'shop' });
  expect(insightsTarget({})).toMatch(/BITBUCKET_REPO_FULL_NAME and BITBUCKET_COMMIT are not set/);
  expect(insightsTarget({ BITBUCKET_REPO_FULL_NAME: 'acme/shop', BITBUCKET_COMMIT: 'HEAD' })).toMatch(/not a commit hash/);
  expect(insightsTarget({ BITBUCKET_REPO_FULL_NAME: 'acme/shop', BITBUCKET_COMMIT: COMMIT, BITBUCKET_CDK_INSIGHTS_PROXY: 'https://proxy:3128' })).toMatch(/only an http:\/\/ proxy/);
});
