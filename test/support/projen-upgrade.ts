/**
 * The packages projen's `upgrade` task lets npm-check-updates change (its
 * `--filter=` list), read from a synthesised `.projen/tasks.json`. projen
 * leaves out every dependency with an exact version.
 */
export function upgradeFilter(tasksJson: any): string[] {
  for (const step of tasksJson.tasks.upgrade.steps as Array<{ exec?: string; execArgs?: string[] }>) {
    const args = step.execArgs ?? step.exec?.split(' ') ?? [];
    const filter = args.find((a) => a.startsWith('--filter='));
    if (filter) return filter.slice('--filter='.length).split(',');
  }
  throw new Error('no npm-check-updates --filter= in the upgrade task');
}
