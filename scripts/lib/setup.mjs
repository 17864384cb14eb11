// Set-up steps shared by `npm start` and `npm test`, in plain Node (no
// dependencies), so they work before `npm install` has run.
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function step(message) {
  process.stdout.write(`\n▸ ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
  }
}

function hashFile(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Installs the npm dependencies when node_modules is missing or older than the lock file. */
export function ensureInstalled() {
  const lock = path.join(ROOT, 'package-lock.json');
  const stamp = path.join(ROOT, 'node_modules', '.homeward-lock-hash');
  const wanted = hashFile(lock);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) return;
  step('Installing dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
  fs.writeFileSync(stamp, wanted);
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'dist' && entry.name !== 'node_modules') newest = Math.max(newest, newestMtime(full));
    } else newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the web app when web/dist is missing or older than its sources. */
export function ensureWebBuilt() {
  const index = path.join(ROOT, 'web', 'dist', 'index.html');
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= newestMtime(path.join(ROOT, 'web'))) return;
  step('Building the web app (vite build)');
  run('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']);
}

/** Builds dist/server (the `homeward` command as JavaScript) when it is missing or older than its sources. */
export async function ensureServerBuilt() {
  const { buildServer, serverBuildIsFresh } = await import('./server-build.mjs');
  if (serverBuildIsFresh()) return;
  step('Building the server (esbuild)');
  const { inputs, ms } = await buildServer();
  console.log(`  ${inputs} source files in ${ms} ms`);
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium (and Arabic fonts) for the browser tests; installed when missing and we may. */
export function ensureChromium() {
  const haveFonts = fs.existsSync('/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf') || fs.existsSync('/usr/share/fonts/truetype/noto');
  if (fs.existsSync(CHROMIUM) && haveFonts) return;
  if (process.getuid?.() !== 0 || !fs.existsSync('/usr/bin/apt-get')) {
    throw new Error(`Chromium is needed for the browser tests at ${CHROMIUM}: install Debian's packages chromium and fonts-noto-core`);
  }
  step('Installing Chromium and Noto fonts from Debian (apt-get)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-noto-core'], { env });
}

function canConnect(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1500 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function findBinary(name) {
  for (const dir of ['/usr/local/bin', ...fs.readdirSync('/usr/lib/postgresql').sort().reverse().map((v) => `/usr/lib/postgresql/${v}/bin`)]) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return name;
}

/**
 * A PostgreSQL server for the tests: TEST_DATABASE_URL if set, else the one on
 * 127.0.0.1:5432, else a throwaway cluster started here (and stopped on exit).
 */
export async function ensurePostgres() {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  if (await canConnect('127.0.0.1', 5432)) return 'postgres://postgres@127.0.0.1:5432/postgres';
  step('No PostgreSQL answers on 127.0.0.1:5432: starting a throwaway cluster');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'homeward-pg-'));
  const port = 54329;
  const asPostgres = process.getuid?.() === 0;
  if (asPostgres) execFileSync('chown', ['postgres:postgres', dir]);
  const wrap = (bin, args) => (asPostgres ? ['runuser', ['-u', 'postgres', '--', findBinary(bin), ...args]] : [findBinary(bin), args]);
  const [initCmd, initArgs] = wrap('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  run(initCmd, initArgs, { stdio: 'ignore' });
  const [startCmd, startArgs] = wrap('pg_ctl', ['-D', dir, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-w', 'start', '-l', path.join(dir, 'log')]);
  run(startCmd, startArgs, { stdio: 'ignore' });
  process.on('exit', () => {
    const [stopCmd, stopArgs] = wrap('pg_ctl', ['-D', dir, '-m', 'immediate', 'stop']);
    spawnSync(stopCmd, stopArgs, { stdio: 'ignore' });
  });
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}
