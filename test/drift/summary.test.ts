import type { StackReport } from '../../src/drift/stack-drift';
import { exitCode, formatSummary, logValue } from '../../src/drift/summary';

describe('logValue', () => {
  test('a value stays on one line: escape sequences and line breaks become spaces', () => {
    expect(logValue('{\n  "a": 1,\r\n  "b": "\u001b[31mred\u001b[0m"\n}')).toBe('{ "a": 1, "b": " [31mred [0m" }');
  });

  test('a long value is cut at the width, saying how much was left out', () => {
    expect(logValue('a'.repeat(130), 120)).toBe(`${'a'.repeat(120)}... (10 more characters)`);
    expect(logValue('a'.repeat(120), 120)).toBe('a'.repeat(120));
  });
});

describe('exitCode', () => {
  const drifted: StackReport = { stackName: 'p-A', drift: { kind: 'drifted', resources: [] } };
  const inSync: StackReport = { stackName: 'p-B', drift: { kind: 'in-sync' } };
  const notDeployed: StackReport = { stackName: 'p-C', drift: { kind: 'not-deployed' } };
  const notChecked: StackReport = { stackName: 'p-D', drift: { kind: 'not-checked', reason: 'AccessDenied' } };

  test.each([
    [[inSync, notDeployed], 0],
    [[notDeployed], 0],
    [[inSync, notChecked], 3],
    [[drifted, notChecked], 1],
    [[drifted, inSync], 1],
  ])('%#: %j exits %d (drift wins over an incomplete check)', (reports, code) => {
    expect(exitCode(reports as StackReport[])).toBe(code);
  });
});

test('a removed property shows the expected value only; a stack with many unchecked resources names the first ten', () => {
  const text = formatSummary([
    {
      stackName: 'p-A',
      drift: {
        kind: 'drifted',
        resources: [{ logicalId: 'Q', type: 'AWS::SQS::Queue', status: 'MODIFIED', properties: [{ path: '/DelaySeconds', difference: 'REMOVE', expected: '5', actual: 'null' }] }],
        incomplete: { reason: 'Failed', checked: 1, unchecked: Array.from({ length: 12 }, (_, i) => `R${i}`) },
      },
    },
  ]);
  expect(text).toContain('      /DelaySeconds: removed outside CloudFormation\n        expected: 5\n    not checked');
  expect(text).toContain('    not checked: 12 resources (R0, R1, R2, R3, R4, R5, R6, R7, R8, R9 and 2 more); 1 resource checked\n    CloudFormation: Failed\n');
  expect(text).toContain('Drift: 1 drifted, 0 in sync, 0 not deployed, 0 not checked (1 stack).\n');
});

test('a stack in sync in what CloudFormation read, with resources the role may not read: NOT CHECKED in full, listed by type with the reason', () => {
  const text = formatSummary([{
    stackName: 'p-A',
    drift: { kind: 'not-checked', reason: 'some resources are of types the read-only role may not read', checkedInSync: true },
    unreadable: [
      { type: 'AWS::Lambda::Function', logicalIds: Array.from({ length: 11 }, (_, i) => `Fn${i}`), reason: 'its read returns the environment variables' },
      { type: 'Custom::Thing', logicalIds: ['Thing'], reason: 'CloudFormation cannot detect drift of a custom resource' },
    ],
  }]);
  expect(text).toBe([
    '  p-A: NOT CHECKED in full (no drift in what was checked)',
    '    not checked: 12 resources of 2 types the read-only role may not read (it may not read their configuration without reading data, '
      + 'or is not granted it; see src/bitbucket-oidc/drift-read-permissions.ts):',
    '      AWS::Lambda::Function (Fn0, Fn1, Fn2, Fn3, Fn4, Fn5, Fn6, Fn7, Fn8, Fn9 and 1 more): its read returns the environment variables',
    '      Custom::Thing (Thing): CloudFormation cannot detect drift of a custom resource',
    'Drift: 0 drifted, 0 in sync, 0 not deployed, 1 not checked (1 stack).',
    '',
  ].join('\n'));
  expect(exitCode([{ stackName: 'p-A', drift: { kind: 'not-checked', reason: 'r', checkedInSync: true } }])).toBe(3);
});

test('a drifted stack with resources the role may not read lists them after the drift', () => {
  const text = formatSummary([{
    stackName: 'p-A',
    drift: { kind: 'drifted', resources: [{ logicalId: 'Q', type: 'AWS::SQS::Queue', status: 'DELETED', properties: [] }] },
    unreadable: [{ type: 'AWS::ECS::TaskDefinition', logicalIds: ['Task'], reason: 'environment variables' }],
  }]);
  expect(text).toContain('    Q (AWS::SQS::Queue): DELETED outside CloudFormation\n    not checked: 1 resource of 1 type the read-only role may not read');
  expect(text).toContain('      AWS::ECS::TaskDefinition (Task): environment variables\n');
});
