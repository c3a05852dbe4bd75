import { manyAdditions, previewOf, resourceChange } from './report-fixtures';
import {
  MAX_ANNOTATION_SUMMARY_LENGTH, MAX_ANNOTATIONS_PER_REPORT, MAX_REPORT_DATA_FIELDS, MAX_REPORT_DETAILS_LENGTH, MAX_REPORT_TITLE_LENGTH,
} from '../../src/pipeline/bitbucket-limits';
import { buildInsights, insightsReportId } from '../../src/preview/insights-report';
import { ELLIPSIS, truncate } from '../../src/preview/truncate';

const context = { diffFile: 'cdk.preview/dev.diff.txt' };

test('truncate: within the limit unchanged; beyond it cut to the limit with a visible ellipsis, never half a surrogate pair', () => {
  expect(truncate('short', 10)).toBe('short');
  expect(truncate('a'.repeat(20), 10)).toBe(`${'a'.repeat(9)}${ELLIPSIS}`);
  const emoji = `${'a'.repeat(8)}😀😀`; // the emoji straddles the cut
  const cut = truncate(emoji, 10);
  expect(cut).toBe(`${'a'.repeat(8)}${ELLIPSIS}`);
  expect(cut.length).toBeLessThanOrEqual(10);
});

test('an annotation summary longer than Bitbucket allows is cut to 450 characters with an ellipsis', () => {
  const long = resourceChange({ logicalId: 'Deep', constructPath: `dev/App/${'Nested/'.repeat(100)}Queue/Resource` });
  const [annotation] = buildInsights(previewOf([long]), context).annotations;
  expect(annotation.summary.length).toBe(MAX_ANNOTATION_SUMMARY_LENGTH);
  expect(annotation.summary.endsWith(ELLIPSIS)).toBe(true);
  expect(annotation.summary.startsWith('AWS::SQS::Queue dev/App/Nested/')).toBe(true);
});

test('report title and details stay within the limits; the details keep the pointer to the full diff when cut', () => {
  const dangers = Array.from({ length: 200 }, (_, i) => resourceChange({ logicalId: `Db${i}`, type: 'AWS::RDS::DBInstance', action: 'replace', stateful: true, constructPath: `dev/App/Database${i}/Resource` }));
  const { report } = buildInsights(previewOf(dangers), context);
  expect(report.title.length).toBeLessThanOrEqual(MAX_REPORT_TITLE_LENGTH);
  expect(report.details.length).toBeLessThanOrEqual(MAX_REPORT_DETAILS_LENGTH);
  expect(report.details).toContain(ELLIPSIS);
  expect(report.details.endsWith("Full diff: the step's artifact cdk.preview/dev.diff.txt.")).toBe(true);
  expect(report.result).toBe('FAILED');
  expect(report.data.length).toBeLessThanOrEqual(MAX_REPORT_DATA_FIELDS);
});

test('more changes than a report may hold: 1000 annotations, the most severe first, the last one saying how many were left out and where to look', () => {
  const danger = resourceChange({ logicalId: 'Db', type: 'AWS::RDS::DBInstance', action: 'replace', stateful: true, constructPath: 'dev/App/Database/Resource', replacingProperties: ['DBInstanceIdentifier'] });
  // The danger comes last in the template order: it must still be annotated.
  const payload = buildInsights(previewOf([...manyAdditions(1200), danger]), context);
  expect(payload.annotations).toHaveLength(MAX_ANNOTATIONS_PER_REPORT);
  expect(payload.omitted).toBe(1201 - (MAX_ANNOTATIONS_PER_REPORT - 1));
  expect(payload.annotations[0]).toMatchObject({ severity: 'CRITICAL', result: 'FAILED', summary: expect.stringMatching(/^Stateful resource at risk: AWS::RDS::DBInstance dev\/App\/Database \(Db\) in dev-App: replaced/) });
  expect(payload.annotations[999].summary).toBe('202 more changes are not annotated (Bitbucket shows at most 1000 per report): see the full diff in the artifact cdk.preview/dev.diff.txt.');
  expect(payload.report.details).toContain('202 changes are not annotated');
  expect(new Set(payload.annotations.map((a) => a.external_id)).size).toBe(MAX_ANNOTATIONS_PER_REPORT);
  expect(payload.annotations[0].external_id).toBe('cdk-preview-dev-0001');
});

test('up to the limit nothing is left out', () => {
  const payload = buildInsights(previewOf(manyAdditions(MAX_ANNOTATIONS_PER_REPORT)), context);
  expect(payload.annotations).toHaveLength(MAX_ANNOTATIONS_PER_REPORT);
  expect(payload.omitted).toBe(0);
  expect(payload.annotations.every((a) => a.summary.endsWith(': added'))).toBe(true);
});

test('severities: stateful at risk CRITICAL, broadening IAM and world-open ingress HIGH, other replacements MEDIUM, additions LOW', () => {
  const payload = buildInsights(previewOf([
    resourceChange({ logicalId: 'Fn', type: 'AWS::Lambda::Function', action: 'replace', replacingProperties: ['FunctionName'] }),
    resourceChange({ logicalId: 'Q' }),
    resourceChange({ logicalId: 'Archive', type: 'AWS::S3::Bucket', action: 'orphan', stateful: true, oldResourcePolicy: 'Retain' }),
    resourceChange({ logicalId: 'Scratch', type: 'AWS::S3::Bucket', action: 'remove', stateful: true }),
  ], {
    iam: [{ change: 'added', kind: 'statement', description: 'Allow s3:* on * for AWS:${Role}' }],
    permissionsBroadened: true,
    securityGroups: [{ change: 'added', direction: 'ingress', description: 'TCP 22 from Everyone (IPv4) on ${Sg.GroupId}', openToWorld: true }],
  }), context);
  expect(payload.annotations.map((a) => `${a.severity} ${a.annotation_type} ${a.summary}`)).toEqual([
    'CRITICAL BUG Stateful resource at risk: AWS::S3::Bucket Scratch in dev-App: deleted with its data',
    'HIGH VULNERABILITY IAM statement added in dev-App: Allow s3:* on * for AWS:${Role}',
    'HIGH VULNERABILITY Security group ingress rule added in dev-App: TCP 22 from Everyone (IPv4) on ${Sg.GroupId} (open to the internet)',
    'MEDIUM CODE_SMELL AWS::Lambda::Function Fn in dev-App: replaced because FunctionName changes: a new resource is created and the old one deleted',
    'MEDIUM CODE_SMELL AWS::S3::Bucket Archive in dev-App: removed from the stack but kept in the account (DeletionPolicy: Retain): no longer managed; delete it by hand when it is no longer needed',
    'LOW CODE_SMELL AWS::SQS::Queue Q in dev-App: added',
  ]);
  // Only the deletion of data fails the report; the retained bucket does not.
  expect(payload.report.result).toBe('FAILED');
  expect(buildInsights(previewOf([resourceChange({ logicalId: 'Archive', type: 'AWS::S3::Bucket', action: 'orphan', stateful: true })]), context).report.result).toBe('PASSED');
});

test('report ids: one per environment, a slug', () => {
  expect(insightsReportId('Production EU')).toBe('cdk-preview-production-eu');
});
