import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { synth, twoEnvironmentOptions } from '../util';

/** Generated sources go under test/.work so that ts-jest compiles them and they resolve this repository's aws-cdk-lib. */
const WORK_ROOT = path.join(__dirname, '..', '.work');
let dir: string;
let files: Record<string, any>;

beforeAll(() => {
  files = synth(twoEnvironmentOptions());
  fs.mkdirSync(WORK_ROOT, { recursive: true });
  dir = fs.mkdtempSync(path.join(WORK_ROOT, 'sample-'));
  // The sample app, its test and the generated environments module.
  for (const file of Object.keys(files).filter((f) => /^(src|test)\/[^/]+\.ts$/.test(f))) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), files[file]);
  }
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

afterEach(() => jest.restoreAllMocks());

test('the sample test passes and never synthesises the whole app (no validation report on every build)', () => {
  const synthesised = jest.spyOn(App.prototype, 'synth');
  // Run the generated test file as jest would: collect its tests, then run them.
  const collected: Array<[string, () => void]> = [];
  const realTest = (globalThis as any).test;
  (globalThis as any).test = (name: string, fn: () => void) => collected.push([name, fn]);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    for (const file of Object.keys(files).filter((f) => /^test\/[^/]+\.test\.ts$/.test(f))) require(path.join(dir, file));
  } finally {
    (globalThis as any).test = realTest;
  }
  expect(collected.length).toBeGreaterThan(0);
  for (const [, fn] of collected) fn();
  expect(synthesised).not.toHaveBeenCalled();
});

test('main.ts still builds one stage per environment, with MyStack in its account and region, and synthesises', () => {
  // Recorded, not run: the real synthesis only adds time and the empty stack's validation report.
  const synthesised = jest.spyOn(App.prototype, 'synth').mockImplementation(() => undefined as any);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(dir, 'src/main.ts'));
  expect(synthesised).toHaveBeenCalledTimes(1);
  const app = synthesised.mock.contexts[0] as App;
  const stacks = app.node.findAll().filter((c) => c.node.id === 'MyStack').map((s: any) => `${s.node.path} ${s.account} ${s.region}`);
  expect(stacks).toEqual(['staging/MyStack 111111111111 eu-west-1', 'production/MyStack 222222222222 us-east-1']);
});
