// Loads a package's built CJS and ESM entry points the way users will (require and import) and checks
// that they expose the same API: catches a CJS build that cannot load its ESM-only dependencies.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.cwd();
const require = createRequire(join(dir, 'package.json'));
const pkg = require('./package.json');
const cjs = require(join(dir, pkg.exports['.'].require.default));
const esm = await import(pathToFileURL(join(dir, pkg.exports['.'].import.default)).href);
const cjsKeys = Object.keys(cjs).sort().join(',');
const esmKeys = Object.keys(esm).sort().join(',');
if (cjsKeys.length === 0 || cjsKeys !== esmKeys) {
  console.error(`${pkg.name}: CJS and ESM builds differ\n  cjs: ${cjsKeys}\n  esm: ${esmKeys}`);
  process.exit(1);
}
// Every other subpath (not `testing`, whose contract suites need vitest's runner) loads the same way, and a name it
// shares with the main entry is the same binding there (one class, one function), in each format.
for (const [subpath, target] of Object.entries(pkg.exports)) {
  if (subpath === '.' || subpath === './package.json' || subpath.endsWith('/testing')) continue;
  const subCjs = require(join(dir, target.require.default));
  const subEsm = await import(pathToFileURL(join(dir, target.import.default)).href);
  const keys = Object.keys(subCjs).sort().join(',');
  if (keys.length === 0 || keys !== Object.keys(subEsm).sort().join(',')) {
    console.error(`${pkg.name}/${subpath.slice(2)}: CJS and ESM builds differ`);
    process.exit(1);
  }
  const copies = Object.keys(subCjs).filter(
    (name) => (name in cjs && cjs[name] !== subCjs[name]) || (name in esm && esm[name] !== subEsm[name]),
  );
  if (copies.length > 0) {
    console.error(`${pkg.name}/${subpath.slice(2)}: not the main entry's bindings: ${copies.join(', ')}`);
    process.exit(1);
  }
  console.log(
    `${pkg.name}/${subpath.slice(2)}: CJS and ESM builds load (${Object.keys(subCjs).length} exports)`,
  );
}

// The CJS build bundles ky: prove it works end to end on a real socket.
if (typeof cjs.createHttpClient === 'function') {
  const { createServer } = await import('node:http');
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end('{"ok":true}');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = cjs.createHttpClient({ baseUrl: `http://127.0.0.1:${server.address().port}` });
  const result = await client.get('/smoke');
  server.close();
  if (!result.success || result.data.ok !== true) {
    console.error(`${pkg.name}: CJS client request failed: ${JSON.stringify(result)}`);
    process.exit(1);
  }
}
console.log(`${pkg.name}: CJS and ESM builds load (${Object.keys(cjs).length} exports)`);
