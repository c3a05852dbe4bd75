import * as fs from 'fs';
import * as path from 'path';
import { Logger } from 'projen';
import { BitbucketCdkApp } from '../../src';
import { NodeVersionNotice } from '../../src/core/node-version-notice';
import { baseOptions, tempDir } from '../util';

const ENGINES = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8')).engines.node;

describe('one line, not npm\'s EBADENGINE blocks, when Node.js is too old', () => {
  test('an older major names the running version, the floor, and the fix', () => {
    expect(NodeVersionNotice.text('20.20.2', '>= 22.0.0')).toBe(
      'Node.js 20.20.2 is older than projen-bitbucket-cdk supports (node >= 22.0.0); npm\'s EBADENGINE warnings above all say this. '
      + 'Install Node.js 22 or later (for example `nvm install 22`), then run `npx projen` again.');
  });

  test.each([['22.0.0'], ['22.11.1'], ['24.1.0']])('Node.js %s is quiet', (running) => {
    expect(NodeVersionNotice.text(running, '>= 22.0.0')).toBeUndefined();
  });

  test('the minor of the floor counts', () => {
    expect(NodeVersionNotice.text('22.3.0', '>=22.12.0')).toContain('Node.js 22.3.0 is older');
    expect(NodeVersionNotice.text('22.12.0', '>=22.12.0')).toBeUndefined();
  });

  test('after the install (postSynthesize), a project prints it once, against the package\'s own engines', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const project = new BitbucketCdkApp({ ...baseOptions(), outdir: tempDir() });
      const notice = project.components.find((c) => c instanceof NodeVersionNotice)!;
      warn.mockClear();
      notice.postSynthesize();
      const printed = warn.mock.calls.map((c) => c.join(' '));
      const expected = NodeVersionNotice.text(process.versions.node, ENGINES);
      expect(printed).toEqual(expected ? [`BitbucketCdkApp: ${expected}`] : []);
    } finally {
      warn.mockRestore();
    }
  });
});
