import { execFile } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { loadOptionalModule, MissingModuleError } from '../../src/aws';

test('a package that is not installed: names it and the fix (npx projen, npm ci)', () => {
  const error = (() => {
    try {
      loadOptionalModule('@aws-sdk/client-not-installed-here', 'bitbucket-cdk-preview');
      return undefined;
    } catch (e) {
      return e as Error;
    }
  })();
  expect(error).toBeInstanceOf(MissingModuleError);
  expect(error!.message).toContain('bitbucket-cdk-preview needs the package @aws-sdk/client-not-installed-here');
  expect(error!.message).toContain('npx projen');
  expect(error!.message).toContain('npm ci');
});

test('an installed package loads', () => {
  expect(loadOptionalModule<any>('@aws-sdk/client-ssm', 'test').SSMClient).toBeDefined();
});

test('a package that is there but broken (its own dependency missing) is not reported as missing', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'optional-module-'));
  try {
    const file = path.join(dir, 'broken.js');
    writeFileSync(file, "require('some-dependency-that-is-not-there');\n");
    expect(() => loadOptionalModule(file, 'test')).toThrow(/some-dependency-that-is-not-there/);
    expect(() => loadOptionalModule(file, 'test')).not.toThrow(MissingModuleError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the package entry point (what .projenrc.ts loads) loads neither the AWS SDK nor the CDK diff', async () => {
  const root = path.join(__dirname, '..', '..');
  const script = "require('./src/index.ts'); process.stdout.write(JSON.stringify(Object.keys(require.cache)))";
  const loaded: string[] = await new Promise((resolve, reject) => {
    execFile(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: root, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))));
  });
  expect(loaded.some((f) => f.includes(`${path.sep}projen${path.sep}`))).toBe(true);
  expect(loaded.filter((f) => /@aws-sdk|@aws-cdk[\\/]cloudformation-diff|[\\/]src[\\/](aws|preview|drift)[\\/]/.test(f))).toEqual([]);
});
