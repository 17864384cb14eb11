// The API at scale: a generated population (`homeward generate`) served by a real
// `homeward serve` process, measured from outside over HTTP. For each kind of
// request: latency p50/p95/p99 beside the database's busy time for the same
// requests (the server's Server-Timing header, HOMEWARD_SERVER_TIMING=1: the raw
// SQL's time measured at the driver); the throughput of a mixed authenticated read
// workload at 50 concurrent clients (autocannon) with its errors; the start-up time
// to the first answered request on the existing database; the server's peak memory.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { type Figures, ms, summarise } from './stats.ts';

export interface ScaleOptions {
  readonly root: string;
  readonly kind: 'pglite' | 'postgres';
  readonly people: number;
  /** Requests per measured kind. */
  readonly samples: number;
  /** Seconds of the 50-client load. */
  readonly loadSeconds: number;
  /** Drop the generated database afterwards (the CI check), instead of keeping it for the next run. */
  readonly discard?: boolean;
  /** Seconds to let the server's worker pick its first jobs up before waiting for it to fall idle (default 20). */
  readonly settleSeconds?: number;
}

export interface ScaleResult {
  readonly title: string;
  readonly rows: [string, Figures, Figures][];
  readonly throughput: { requestsPerSecond: number; requests: number; errors: number; non2xx: number; p99: number; seconds: number };
  readonly startupMs: number;
  readonly peakMemoryMb: number;
  readonly generateSeconds: number | null;
  readonly counts: Record<string, number>;
  /** The PostgreSQL server's version and memory settings, and what was prewarmed (null on the embedded database). */
  readonly server: string | null;
}

export const PASSWORD = 'Bench-Password-2026!';
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The generated database of this size: made once, reused by later runs. */
async function prepare(options: ScaleOptions): Promise<{ env: Record<string, string>; generateSeconds: number | null; query: (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>; close: () => Promise<void>; discard: () => Promise<void> }> {
  const { root, kind, people } = options;
  const cli = path.join(root, 'bin', 'homeward.js');
  if (kind === 'postgres') {
    const name = `hw_bench_${people}${options.discard ? `_${process.pid}` : ''}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
    let ready = false;
    if (exists) {
      const probe = new pg.Client({ connectionString: databaseUrl(name) });
      await probe.connect();
      try {
        ready = Number((await probe.query('select count(*) as n from persons')).rows[0]?.n) === people;
      } catch {
        ready = false;
      }
      await probe.end();
    }
    let generateSeconds: number | null = null;
    if (!ready) {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`create database ${name}`);
      const started = Date.now();
      const run = spawnSync(process.execPath, [cli, 'generate', '--people', String(people), '--seed', 'bench', '--password', PASSWORD], { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl(name) }, stdio: 'inherit' });
      if (run.status !== 0) throw new Error(`homeward generate failed on ${name}`);
      generateSeconds = (Date.now() - started) / 1000;
    }
    await admin.end();
    const client = new pg.Client({ connectionString: databaseUrl(name) });
    await client.connect();
    return {
      env: { DATABASE_URL: databaseUrl(name) },
      generateSeconds,
      query: async (text, params) => (await client.query(text, params as unknown[])).rows,
      close: () => client.end(),
      discard: async () => {
        const dropper = new pg.Client({ connectionString: ADMIN_URL });
        await dropper.connect();
        await dropper.query(`drop database if exists ${name} with (force)`);
        await dropper.end();
      },
    };
  }
  const dataDir = path.join(root, '.tmp', 'bench', `pglite-${people}${options.discard ? `-${process.pid}` : ''}`);
  const marker = path.join(dataDir, 'generated.json');
  let generateSeconds: number | null = null;
  if (!fs.existsSync(marker)) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true });
    const started = Date.now();
    const run = spawnSync(process.execPath, [cli, 'generate', '--people', String(people), '--seed', 'bench', '--password', PASSWORD], { cwd: root, env: { ...process.env, DATABASE_URL: '', HOMEWARD_DATA_DIR: dataDir }, stdio: 'inherit' });
    if (run.status !== 0) throw new Error('homeward generate failed on the embedded database');
    generateSeconds = (Date.now() - started) / 1000;
    fs.writeFileSync(marker, JSON.stringify({ people, generateSeconds }));
  } else generateSeconds = (JSON.parse(fs.readFileSync(marker, 'utf8')) as { generateSeconds?: number }).generateSeconds ?? null;
  // The embedded database has one owner at a time: the benchmark reads it through the server only.
  return {
    env: { DATABASE_URL: '', HOMEWARD_DATA_DIR: dataDir },
    generateSeconds,
    query: async () => [],
    close: async () => {},
    discard: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
}

export interface Session {
  readonly cookie: string;
  readonly csrf: string;
}

export async function login(base: string, username: string): Promise<Session> {
  const response = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  if (response.status !== 200) throw new Error(`login as ${username}: ${response.status} ${await response.text()}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const body = (await response.json()) as { csrfToken: string };
  return { cookie, csrf: body.csrfToken };
}

/** One request, timed from outside, with the database's share from the Server-Timing header. */
export async function timed(base: string, session: Session, url: string): Promise<{ total: number; db: number; body: unknown }> {
  const start = performance.now();
  const response = await fetch(`${base}${url}`, { headers: { cookie: session.cookie } });
  const body = await response.json();
  const total = performance.now() - start;
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  const db = Number(/db;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1] ?? Number.NaN);
  return { total, db, body };
}

/** CPU seconds the process has used (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Waits until the server's first periodic jobs are done: on PostgreSQL, until no job is due or
 * running; in both, until the process has used under a tenth of a core for three 2-second samples
 * in a row — after `settleMs`, so that the worker has picked its first jobs up.
 */
async function waitForIdle(pid: number, deadlineMs: number, settleMs: number, pendingJobs: () => Promise<number>): Promise<number> {
  const started = performance.now();
  let last = cpuSeconds(pid);
  let quiet = 0;
  while (performance.now() - started < deadlineMs) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const now = cpuSeconds(pid);
    quiet = now - last < 0.2 ? quiet + 1 : 0;
    last = now;
    if (performance.now() - started > settleMs && quiet >= 3 && (await pendingJobs()) === 0) return performance.now() - started;
  }
  return performance.now() - started;
}

export function peakMemoryMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

export async function waitFor(base: string, child: ChildProcess, deadlineMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < deadlineMs) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${base}/api/v1/health`);
      if (response.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the server did not answer in time');
}

/** The tables (and their indexes) the measured reads touch. */
const READ_TABLES = ['persons', 'person_names', 'person_nationalities', 'custody_episodes', 'facilities', 'family_links', 'proceedings', 'cases', 'case_members', 'case_transitions', 'clearances', 'consent_records', 'identity_documents', 'person_figures', 'person_counts', 'person_day_counts', 'custody_counts', 'return_month_counts', 'return_day_counts', 'clearance_counts', 'sessions', 'users'];

/**
 * The steady state of a server that has been answering for a while: the tables the reads touch
 * loaded into PostgreSQL's shared buffers (pg_prewarm, a contrib extension PostgreSQL ships), when
 * they fit. Without it each run would measure how fast this machine's disk reads a cold cache (its
 * virtual machine gives the operating system's page cache back to the host within minutes).
 */
export async function prewarm(query: (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>): Promise<string | null> {
  try {
    await query('create extension if not exists pg_prewarm');
  } catch {
    return null;
  }
  const buffers = Number((await query(`select setting::bigint * 8192 as bytes from pg_settings where name = 'shared_buffers'`))[0]?.bytes ?? 0);
  const relations = await query(
    `select c.oid::regclass::text as name, pg_relation_size(c.oid) as bytes from pg_class c
     where c.relname = any($1) or c.oid in (select indexrelid from pg_index i join pg_class t on t.oid = i.indrelid where t.relname = any($1))
     order by (c.relkind = 'i') desc, pg_relation_size(c.oid)`,
    [READ_TABLES],
  );
  let loaded = 0;
  const started = performance.now();
  for (const r of relations) {
    const bytes = Number(r.bytes);
    if (loaded + bytes > buffers * 0.9) continue;
    await query('select pg_prewarm($1::regclass)', [r.name]);
    loaded += bytes;
  }
  return `prewarmed ${(loaded / 2 ** 30).toFixed(1)} GB of ${relations.length} tables and indexes into shared_buffers of ${(buffers / 2 ** 30).toFixed(1)} GB (${((performance.now() - started) / 1000).toFixed(0)} s)`;
}

export async function benchScale(options: ScaleOptions): Promise<ScaleResult> {
  const { root, samples } = options;
  const db = await prepare(options);
  const port = 3900 + Math.floor(Math.random() * 90);
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'bin', 'homeward.js'), 'serve'], {
    cwd: root,
    env: { ...process.env, ...db.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', HOMEWARD_SERVER_TIMING: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitFor(base, child, 600_000);
    const startupMs = performance.now() - started;
    const coordinator = await login(base, 'demo-coordinator');
    const auditor = await login(base, 'demo-auditor');
    const embassy = await login(base, 'demo-embassy-tjk');

    // Let the first periodic jobs (the matching sweep, the eligibility refresh) finish: measure the steady state.
    const pending = async () => {
      if (options.kind !== 'postgres') return 0;
      const rows = await db.query(`select count(*) as n from jobs where done_at is null and failed_at is null and run_at <= now()`);
      return Number(rows[0]?.n ?? 0);
    };
    const idleAfterMs = await waitForIdle(child.pid as number, 1_800_000, (options.settleSeconds ?? 20) * 1000, pending);
    console.log(`  server idle ${(idleAfterMs / 1000).toFixed(0)} s after start-up (its first periodic jobs done)`);
    const warmed = options.kind === 'postgres' ? await prewarm(db.query) : null;
    const settings =
      options.kind === 'postgres'
        ? (await db.query(`select name, current_setting(name) as value from pg_settings where name in ('server_version', 'shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost') order by name`))
            .map((r) => `${r.name} ${r.value}`)
            .join(', ')
        : null;
    if (warmed) console.log(`  ${warmed}`);

    // Names to search, people, cases and records to open: taken through the API itself.
    const pick = async (url: string) => ((await timed(base, coordinator, url)).body as { data: Record<string, unknown>[] }).data;
    const people = await pick('/api/v1/persons?limit=100&kind=child');
    const women = await pick('/api/v1/persons?limit=100&kind=adult');
    // The registry's name order reaches Latin and Arabic names first: Tajikistan's and Russia's people bring their names in Cyrillic.
    const cyrillic = [...(await pick('/api/v1/persons?limit=50&nationality=TJK')), ...(await pick('/api/v1/persons?limit=50&nationality=RUS'))];
    const cases = await pick('/api/v1/cases?limit=100&state=assessment');
    const names = new Map<string, string[]>();
    for (const p of [...people, ...women, ...cyrillic]) {
      const detail = (await timed(base, coordinator, `/api/v1/persons/${p.id}`)).body as { names?: { fullName: string; script: string; latin?: string }[] };
      for (const n of detail.names ?? []) {
        names.set(n.script, [...(names.get(n.script) ?? []), n.fullName]);
        if (n.script !== 'latin' && n.latin) names.set('latin', [...(names.get('latin') ?? []), n.latin]);
      }
    }
    const cycle = <T>(list: readonly T[], i: number) => list[i % list.length] as T;
    const kinds: [string, Session, (i: number) => string][] = [
      ['person search, Arabic script', coordinator, (i) => `/api/v1/persons?limit=20&q=${encodeURIComponent(cycle(names.get('arabic') ?? ['محمد'], i))}`],
      ['person search, Cyrillic script', coordinator, (i) => `/api/v1/persons?limit=20&q=${encodeURIComponent(cycle(names.get('cyrillic') ?? ['Мухаммад'], i))}`],
      ['person search, Latin script', coordinator, (i) => `/api/v1/persons?limit=20&q=${encodeURIComponent(cycle(names.get('latin') ?? ['Muhammad'], i))}`],
      // The worst case of the ranking: one given name that a tenth of the registry shares, few exact namesakes.
      ['person search, one common given name (Мухаммад, محمد, Muhammad)', coordinator, (i) => `/api/v1/persons?limit=20&q=${encodeURIComponent(cycle(['Мухаммад', 'محمد', 'Muhammad'], i))}`],
      ['filtered list: children of Tajikistan, 50 a page', coordinator, () => '/api/v1/persons?limit=50&kind=child&nationality=TJK'],
      ['filtered list: cases in assessment, 50 a page', coordinator, () => '/api/v1/cases?limit=50&state=assessment'],
      ['the person page', coordinator, (i) => `/api/v1/persons/${cycle(people, i).id}`],
      ['the case page with its eligibility verdict', coordinator, (i) => `/api/v1/cases/${cycle(cases, i).id}`],
      ['the dashboard', coordinator, () => '/api/v1/figures/dashboard'],
      ['the dashboard of an embassy (Tajikistan)', embassy, () => '/api/v1/figures/dashboard'],
      ['the audit trail of one record', auditor, (i) => `/api/v1/audit-events?entityType=person&entityId=${cycle(people, i).id}`],
    ];
    const rows: [string, Figures, Figures][] = [];
    for (const [what, session, url] of kinds) {
      // Two warm-up requests, then the samples.
      for (let i = 0; i < 2; i++) await timed(base, session, url(i));
      const total: number[] = [];
      const dbTimes: number[] = [];
      const n = what.startsWith('the dashboard') ? Math.max(10, Math.floor(samples / 4)) : samples;
      for (let i = 0; i < n; i++) {
        const r = await timed(base, session, url(i));
        total.push(r.total);
        dbTimes.push(r.db);
      }
      rows.push([what, summarise(total), summarise(dbTimes)]);
      console.log(`  ${what}: ${ms(summarise(total))} (SQL ${ms(summarise(dbTimes))})`);
    }

    // 50 clients at once, a mix of reads as the signed-in coordinator.
    const mix = [
      ...Array.from({ length: 40 }, (_, i) => kinds[i % 3]?.[2](i) as string),
      ...Array.from({ length: 20 }, (_, i) => `/api/v1/persons/${cycle(people, i).id}`),
      ...Array.from({ length: 20 }, (_, i) => `/api/v1/cases/${cycle(cases, i).id}`),
      ...Array.from({ length: 10 }, () => '/api/v1/persons?limit=50&kind=child&nationality=TJK'),
      ...Array.from({ length: 10 }, () => '/api/v1/cases?limit=50&state=assessment'),
    ];
    let next = 0;
    const load = await autocannon({
      url: base,
      connections: 50,
      duration: options.loadSeconds,
      headers: { cookie: coordinator.cookie },
      requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: mix[next++ % mix.length] as string }) }],
    });
    const throughput = {
      requestsPerSecond: load.requests.average,
      requests: load.requests.total,
      errors: load.errors + load.timeouts,
      non2xx: load.non2xx,
      p99: load.latency.p99,
      seconds: options.loadSeconds,
    };
    console.log(`  50 clients: ${Math.round(throughput.requestsPerSecond)} requests/s, ${throughput.errors} errors, ${throughput.non2xx} not 2xx`);
    const peak = peakMemoryMb(child.pid as number);
    const counts: Record<string, number> = {};
    for (const table of ['persons', 'cases', 'audit_events']) {
      const rowsOf = await db.query(`select count(*) as n from ${table}`);
      if (rowsOf[0]) counts[table] = Number(rowsOf[0].n);
    }
    return {
      title: `${options.kind === 'postgres' ? 'PostgreSQL 15 server' : 'embedded database (PGlite)'}, ${options.people.toLocaleString('en')} generated people`,
      rows,
      throughput,
      startupMs,
      peakMemoryMb: peak,
      generateSeconds: db.generateSeconds,
      counts,
      server: settings === null ? null : `${settings}${warmed ? `; ${warmed}` : ''}`,
    };
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    await db.close();
    if (options.discard) await db.discard();
  }
}
