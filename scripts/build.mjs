#!/usr/bin/env node
// Builds the packages in dependency order, skipping a package whose inputs are unchanged since its last
// build: the stamp in dist/ is a hash of its sources, build configuration, the lockfile and its workspace
// dependencies' stamps. `--force` rebuilds everything.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { root } from './tools.mjs';

const force = process.argv.includes('--force');
const packagesDir = join(root, 'packages');
const STAMP = '.build-stamp';
const sharedInputs = ['tsup.config.base.ts', 'tsconfig.base.json', 'pnpm-lock.yaml'].map((f) =>
  join(root, f),
);

const packages = readdirSync(packagesDir)
  .map((dir) => join(packagesDir, dir))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const deps = Object.keys({
      ...manifest.dependencies,
      ...manifest.devDependencies,
      ...manifest.peerDependencies,
    });
    return { dir, name: manifest.name, deps, hasBuild: Boolean(manifest.scripts?.build) };
  });
const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));

// Tests are not part of a build (tsconfig.json excludes them); editing one must not trigger a rebuild.
function* inputFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* inputFiles(path);
    else if (!entry.name.endsWith('.test.ts')) yield path;
  }
}

function inputHash(pkg, depStamps) {
  const hash = createHash('sha256');
  const files = [
    ...inputFiles(join(pkg.dir, 'src')),
    ...['package.json', 'tsconfig.json', 'tsup.config.ts'].map((f) => join(pkg.dir, f)),
    ...sharedInputs,
  ];
  for (const file of files) {
    if (!existsSync(file) || !statSync(file).isFile()) continue;
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  for (const stamp of depStamps) hash.update(stamp);
  return hash.digest('hex');
}

const readStamp = (pkg) => {
  try {
    return readFileSync(join(pkg.dir, 'dist', STAMP), 'utf8');
  } catch {
    return undefined;
  }
};

function runBuild(pkg) {
  return new Promise((resolve) => {
    const child = spawn('pnpm', ['run', '--silent', 'build'], {
      cwd: pkg.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ ok: false, output: error.message }));
    child.on('close', (code) => resolve({ ok: code === 0, output }));
  });
}

// Each package starts as soon as its workspace dependencies are built, so independent ones run together.
const started = performance.now();
const results = new Map();
function build(pkg) {
  if (!results.has(pkg.name)) {
    results.set(
      pkg.name,
      (async () => {
        const deps = pkg.deps.map((name) => byName.get(name)).filter(Boolean);
        const depStamps = await Promise.all(deps.map(build));
        if (depStamps.includes(null)) return null;
        const stamp = inputHash(pkg, depStamps);
        if (!pkg.hasBuild) return stamp;
        if (!force && readStamp(pkg) === stamp) return stamp;
        const t0 = performance.now();
        const { ok, output } = await runBuild(pkg);
        if (!ok) {
          process.stderr.write(`${pkg.name}: build failed\n${output}`);
          return null;
        }
        writeFileSync(join(pkg.dir, 'dist', STAMP), stamp);
        console.log(`built ${pkg.name} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        return stamp;
      })(),
    );
  }
  return results.get(pkg.name);
}

const stamps = await Promise.all(packages.map(build));
if (stamps.includes(null)) process.exit(1);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`${packages.length} packages up to date (${seconds} s${force ? ', forced' : ''})`);
