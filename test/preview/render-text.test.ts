import { previewOf, resourceChange } from './report-fixtures';
import { renderText } from '../../src/preview/render-text';
import { notPreviewedReport } from '../../src/preview/report-model';

const files = { diff: 'cdk.preview/dev.diff.txt', json: 'cdk.preview/dev.json' };

test('data at risk is listed first, whatever the template order; a retained removal is said to be kept', () => {
  const text = renderText(previewOf([
    resourceChange({ logicalId: 'Q', constructPath: 'dev/App/Jobs/Resource' }),
    resourceChange({ logicalId: 'Archive', type: 'AWS::S3::Bucket', action: 'orphan', stateful: true, oldResourcePolicy: 'Retain', constructPath: 'dev/App/Archive/Resource' }),
    resourceChange({ logicalId: 'Db', type: 'AWS::RDS::DBInstance', action: 'may-replace', stateful: true, replacingProperties: ['EngineVersion'], constructPath: 'dev/App/Database/Resource' }),
  ]), files);
  const lines = text.split('\n').filter((l) => /^ {2}[+~±-] /.test(l));
  expect(lines).toEqual([
    '  ± AWS::RDS::DBInstance dev/App/Database (Db): may be replaced because EngineVersion changes (CloudFormation decides from the new values): the stack then uses a new, empty one and the old one is deleted with its data [STATEFUL]',
    '  - AWS::S3::Bucket dev/App/Archive (Archive): removed from the stack but kept in the account (DeletionPolicy: Retain): no longer managed; delete it by hand when it is no longer needed [stateful, kept]',
    '  + AWS::SQS::Queue dev/App/Jobs (Q): added',
  ]);
  expect(text).toMatch(/^CDK preview of dev \(account 111111111111, eu-west-1\): FAILED: 1 stateful resource would be replaced or deleted \(1 to add, 1 to replace, 1 to orphan \(kept in the account\)\)\n/);
  expect(text).toContain('The report fails: dev/App/Database (AWS::RDS::DBInstance) would be replaced or deleted.');
  expect(text.trimEnd().endsWith('Full diff: cdk.preview/dev.diff.txt; structured preview: cdk.preview/dev.json')).toBe(true);
});

test('not previewed: the reason and what to do, nothing else', () => {
  const report = notPreviewedReport({ environment: 'dev', account: '111111111111', region: 'eu-west-1' },
    'The role could not be assumed.\nAn administrator deploys the read role of account 111111111111 with: npx projen bitbucket:oidc:deploy:111111111111',
    '/cdk-bootstrap/hnb659fds/version', [{ stackName: 'dev-App', displayName: 'dev/App', account: '111111111111', region: 'eu-west-1' }]);
  expect(renderText(report, files)).toBe([
    'CDK preview of dev (account 111111111111, eu-west-1): PASSED: not previewed: The role could not be assumed.',
    '',
    'The role could not be assumed.',
    'An administrator deploys the read role of account 111111111111 with: npx projen bitbucket:oidc:deploy:111111111111',
    '',
    'Full diff: cdk.preview/dev.diff.txt; structured preview: cdk.preview/dev.json',
    '',
  ].join('\n'));
});
