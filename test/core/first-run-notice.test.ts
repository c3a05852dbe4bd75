import * as fs from 'fs';
import * as path from 'path';
import { Logger } from 'projen';
import { BitbucketCdkApp } from '../../src';
import { baseOptions, tempDir } from '../util';

/** What the logger printed as warnings while constructing a project in `outdir`. */
function warningsPrinted(outdir: string, overrides = {}): string[] {
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  try {
    new BitbucketCdkApp({ ...baseOptions(overrides), outdir });
    return warn.mock.calls.map((c) => c.join(' '));
  } finally {
    warn.mockRestore();
  }
}
const notice = (warnings: string[]) => warnings.filter((w) => w.includes('before the first push'));

describe('the first generation in a folder points to the security model', () => {
  test('projen new (an empty folder): says who can get production\'s credentials and where to read more', () => {
    const [text, ...rest] = notice(warningsPrinted(tempDir(), { defaultReleaseBranch: 'trunk' }));
    expect(rest).toEqual([]);
    expect(text).toContain('BitbucketCdkApp: before the first push, protect "trunk" and the deployment environments in Bitbucket');
    expect(text).toContain('without deployment permissions (Bitbucket Premium) and branch permissions on "trunk", anyone with write access can put `deployment: production` and `oidc: true` in the pipeline file of their own branch and get production\'s credentials; `trigger: manual` is not a control.');
    expect(text).toContain('"Security model" in node_modules/projen-bitbucket-cdk/README.md');
    // The section it names exists in the README that ships with the package.
    expect(fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf-8')).toMatch(/^## Security model$/m);
  });

  test('later runs in the same folder stay quiet: once per project', () => {
    const outdir = tempDir();
    // A real synth that leaves its files (Testing.synth deletes the folder); no install afterwards.
    const before = process.env.PROJEN_DISABLE_POST;
    process.env.PROJEN_DISABLE_POST = 'true';
    try {
      new BitbucketCdkApp({ ...baseOptions(), outdir }).synth();
    } finally {
      if (before === undefined) delete process.env.PROJEN_DISABLE_POST;
      else process.env.PROJEN_DISABLE_POST = before;
    }
    expect(fs.existsSync(path.join(outdir, 'bitbucket-pipelines.yml'))).toBe(true);
    expect(notice(warningsPrinted(outdir))).toEqual([]);
  });

  test('adopting the package in a projen project that did not generate the pipeline yet is a first run too', () => {
    const outdir = tempDir();
    fs.mkdirSync(path.join(outdir, '.projen'));
    fs.writeFileSync(path.join(outdir, '.projen', 'files.json'), JSON.stringify({ files: ['.gitignore', '.projen/tasks.json'] }));
    expect(notice(warningsPrinted(outdir))).toHaveLength(1);
  });
});
