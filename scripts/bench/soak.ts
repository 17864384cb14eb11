// The soak (issue 8): a real `homeward serve --demo` under a fixed load for a number of minutes —
// reads of every kind signed in as several roles, and a steady trickle of writes — sampled minute by
// minute: the server's resident memory and the load's latency tail. Bounded means the last minutes
// hold what the first ones did: memory does not climb with requests served, p99 does not drift.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { login, PASSWORD, peakMemoryMb, type Session, waitFor } from './scale.ts';

export interface SoakOptions {
  readonly root: string;
  readonly kind: 'pglite' | 'postgres';
  readonly minutes: number;
  /** Requests per second, all clients together (autocannon's overallRate). */
  readonly rate: number;
  /** Seconds per sample window (60 in the full run). */
  readonly windowSeconds?: number;
}

export interface SoakWindow {
  readonly minute: number;
  readonly requests: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly serverErrors: number;
  /** 4xx answers: the mix is valid, so any would be a fault of the soak or the server. */
  readonly clientErrors: number;
  readonly rssMb: number;
}

export interface SoakResult {
  readonly title: string;
  readonly windows: SoakWindow[];
  readonly peakMb: number;
}

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function getJson(base: string, session: Session, url: string): Promise<{ data: Record<string, unknown>[] }> {
  const response = await fetch(`${base}${url}`, { headers: { cookie: session.cookie } });
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status}`);
  return (await response.json()) as { data: Record<string, unknown>[] };
}

export async function benchSoak(options: SoakOptions): Promise<SoakResult> {
  const { root } = options;
  const windowSeconds = options.windowSeconds ?? 60;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'homeward-soak-'));
  const dbName = `hw_soak_${process.pid}`;
  let env: Record<string, string> = { DATABASE_URL: '', HOMEWARD_DATA_DIR: dataDir };
  if (options.kind === 'postgres') {
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${dbName}`;
    env = { DATABASE_URL: url.toString(), HOMEWARD_DATA_DIR: dataDir };
  }
  const port = 3990 + Math.floor(Math.random() * 9);
  const base = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'bin', 'homeward.js'), 'serve', '--demo', '--password', PASSWORD], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitFor(base, child, 600_000);
    const coordinator = await login(base, 'demo-coordinator');
    const embassy = await login(base, 'demo-embassy-tjk');
    const protection = await login(base, 'demo-child-protection');
    const people = (await getJson(base, coordinator, '/api/v1/persons?limit=200&kind=child')).data.map((p) => p.id as string);
    const cases = (await getJson(base, coordinator, '/api/v1/cases?limit=100')).data.map((c) => c.id as string);
    const names = ['Муродов', 'Amina', 'محمد', 'Karimova', 'Ali Hasan', 'Юсуф'];
    // Each request of the mix: a role and a path; one in twenty is a write (a claimed nationality put
    // and withdrawn on a child, with the CSRF token — audited, versioned, a job enqueued).
    const mix: { session: Session; method: 'GET' | 'PUT' | 'DELETE'; path: string }[] = [];
    for (let i = 0; i < 200; i++) {
      const person = people[i % people.length] as string;
      const kind = i % 10;
      if (kind < 3) mix.push({ session: coordinator, method: 'GET', path: `/api/v1/persons?limit=20&q=${encodeURIComponent(names[i % names.length] as string)}` });
      else if (kind < 5) mix.push({ session: coordinator, method: 'GET', path: `/api/v1/persons/${person}` });
      else if (kind === 5) mix.push({ session: embassy, method: 'GET', path: '/api/v1/persons?limit=50' });
      else if (kind === 6) mix.push({ session: protection, method: 'GET', path: '/api/v1/persons?limit=50&kind=child' });
      else if (kind === 7) mix.push({ session: coordinator, method: 'GET', path: `/api/v1/cases/${cases[i % cases.length]}` });
      else if (kind === 8) mix.push({ session: coordinator, method: 'GET', path: i % 20 === 8 ? '/api/v1/figures/dashboard' : '/api/v1/cases?limit=50' });
      // The claim is put on the child of i and withdrawn twenty requests later from the same child.
      else if (i % 40 === 9) mix.push({ session: coordinator, method: 'PUT', path: `/api/v1/persons/${person}/nationalities/KAZ` });
      else if (i % 40 === 29) mix.push({ session: coordinator, method: 'DELETE', path: `/api/v1/persons/${people[(i - 20) % people.length]}/nationalities/KAZ` });
      else mix.push({ session: coordinator, method: 'GET', path: `/api/v1/persons/${person}` });
    }
    const windows: SoakWindow[] = [];
    let next = 0;
    const minutes = Math.max(1, Math.round((options.minutes * 60) / windowSeconds));
    for (let w = 0; w < minutes; w++) {
      const result = await autocannon({
        url: base,
        connections: 10,
        overallRate: options.rate,
        duration: windowSeconds,
        requests: [
          {
            setupRequest: (request) => {
              const r = mix[next++ % mix.length] as (typeof mix)[number];
              const headers: Record<string, string> = { ...(request.headers as Record<string, string> | undefined), cookie: r.session.cookie };
              if (r.method !== 'GET') headers['x-csrf-token'] = r.session.csrf;
              return { ...request, method: r.method, path: r.path, headers };
            },
          },
        ],
      });
      const window: SoakWindow = {
        minute: w + 1,
        requests: result.requests.total,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors + result.timeouts,
        serverErrors: result['5xx'] ?? 0,
        clientErrors: result['4xx'] ?? 0,
        rssMb: rssMb(child.pid as number),
      };
      windows.push(window);
      console.log(`  ${options.kind} window ${window.minute}: ${window.requests} requests, p50 ${window.p50} ms, p99 ${window.p99} ms, ${window.errors} errors, ${window.serverErrors} 5xx, ${window.clientErrors} 4xx, RSS ${Math.round(window.rssMb)} MB`);
    }
    return {
      title: `${options.kind === 'postgres' ? 'PostgreSQL 15 server' : 'embedded database (PGlite)'}, the demo data set, ${options.rate} requests/s for ${options.minutes} min`,
      windows,
      peakMb: peakMemoryMb(child.pid as number),
    };
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (options.kind === 'postgres') {
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
  }
}
