import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * A compromised dependency (docs/security.md): what `npm ci` installs is pinned by the lockfile, and
 * npm refuses a package whose bytes do not match its recorded hash. This checks the lockfile keeps
 * that promise for every package: a SHA-512 integrity hash each, nothing fetched from outside the
 * registry (no git, file, link or plain-http sources), and every direct dependency pinned in it.
 * (An advisory audit, `npm audit`, needs an endpoint this project's registry mirror does not serve.)
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  lockfileVersion: number;
  packages: Record<string, { version?: string; resolved?: string; integrity?: string; link?: boolean }>;
};
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

test('every package in the lockfile is pinned by a SHA-512 hash and comes from the registry', () => {
  assert.equal(lock.lockfileVersion, 3);
  const entries = Object.entries(lock.packages).filter(([key]) => key !== '');
  assert.ok(entries.length > 100, `${entries.length} packages`);
  const problems: string[] = [];
  for (const [key, p] of entries) {
    if (p.link) problems.push(`${key}: a link to a local folder`);
    if (!p.version) problems.push(`${key}: no version`);
    if (!/^sha512-[A-Za-z0-9+/]{86}==$/.test(p.integrity ?? '')) problems.push(`${key}: no SHA-512 integrity hash`);
    if (p.resolved !== undefined && !p.resolved.startsWith('https://registry.npmjs.org/')) problems.push(`${key}: resolved from ${p.resolved}`);
  }
  assert.deepEqual(problems, []);
});

test('every direct dependency is in the lockfile', () => {
  const missing = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter((name) => !lock.packages[`node_modules/${name}`]);
  assert.deepEqual(missing, []);
});
