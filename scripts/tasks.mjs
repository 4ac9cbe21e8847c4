// What each root `npm run <task>` does, step by step. scripts/run.mjs provisions Node and pnpm first, so
// every step may call `node` and `pnpm` whatever the machine has; extra arguments go to the last step.
const build = ['node', 'scripts/build.mjs'];
const examples = (script) => ['pnpm', '--silent', '--filter', '@patchbay/examples', 'run', script];
const stripTypes = ['--experimental-strip-types', '--disable-warning=ExperimentalWarning'];
const bench = (script) => ['pnpm', '--filter', '@patchbay/bench', 'run', script];

export const tasks = {
  demo: [build, examples('demo')],
  'demo:core': [build, examples('demo:core')],
  'demo:posthog': [build, examples('demo:posthog')],
  'demo:scheduler': [build, examples('demo:scheduler')],
  'demo:hubspot': [build, examples('demo:hubspot')],
  'demo:pipedrive': [build, examples('demo:pipedrive')],
  'demo:exact': [build, examples('demo:exact')],
  'demo:ts-node': [build, examples('demo:ts-node')],
  'admin-server': [build, examples('admin-server')],
  test: [['node', 'scripts/test.mjs']],
  'test:unit': [['vitest', 'run']],
  'test:runtimes': [build, ['node', 'scripts/runtime-smoke/run.mjs']],
  'check:edge': [build, ['node', ...stripTypes, 'bench/bundle-size/check.ts']],
  build: [build],
  typecheck: [['pnpm', '-r', 'run', 'typecheck']],
  lint: [['biome', 'check', '.']],
  format: [['biome', 'check', '--write', '.']],
  'check:packages': [build, ['pnpm', '-r', '--filter', './packages/**', 'run', 'check:package']],
  'check:changesets': [['changeset', 'status']],
  bench: [build, bench('bench')],
  'bench:http': [build, bench('bench:http')],
  'bench:size': [build, bench('bench:size')],
  'bench:stores': [build, bench('bench:stores')],
  'bench:sync': [build, bench('bench:sync')],
  'bench:memory': [build, bench('bench:memory')],
  'bench:posthog': [build, bench('bench:posthog')],
  'bench:hubspot': [build, bench('bench:hubspot')],
  'bench:pipedrive': [build, bench('bench:pipedrive')],
  'bench:exact': [build, bench('bench:exact')],
  'bench:rate-limit': [build, bench('bench:rate-limit')],
  changeset: [['changeset']],
  install: [['pnpm', 'install', '--frozen-lockfile']],
};
