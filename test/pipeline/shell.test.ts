import { spawnSync } from 'child_process';
import { shellCommand, shellQuote } from '../../src/pipeline/shell';

/** The arguments a POSIX shell passes when it runs `printf '%s\0' <line>`. */
function argvOf(line: string, shell = 'sh'): string[] {
  const r = spawnSync(shell, ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf-8' });
  expect(r.status).toBe(0);
  return r.stdout.split('\0').slice(0, -1);
}

const ODD = ['', 'plain', 'staging/*', "it's", 'a b', '$HOME', '`id`', '"q"', '*', 'x;y', 'new\nline', "''", '-'];

describe('shellQuote and shellCommand', () => {
  test('the empty string is \'\' (a word of its own, not nothing)', () => {
    expect(shellQuote('')).toBe("''");
    expect(argvOf(`a ${shellQuote('')} b`)).toEqual(['a', '', 'b']);
  });

  test('plain words stay as they are', () => {
    expect(shellCommand(['cdk', 'deploy', '--app', 'cdk.out', '--progress', 'events'])).toBe('cdk deploy --app cdk.out --progress events');
  });

  test.each(['sh', 'bash'])('%s gets back exactly the arguments, whatever they hold', (shell) => {
    expect(argvOf(shellCommand(ODD), shell)).toEqual(ODD);
  });
});
