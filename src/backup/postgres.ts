import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip } from 'node:zlib';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Tx } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { BackupError, type BackupWriter } from './envelope.ts';

/**
 * PostgreSQL: the backup is `pg_dump`'s plain SQL (one consistent snapshot), gzipped; a restore
 * replays it in ONE transaction on one connection — the schema dropped, the dump's statements and
 * COPY blocks, the audit event — so a restore that fails, or whose process is killed, leaves the
 * database as it was.
 */
export async function dumpPostgres(url: string, writer: BackupWriter): Promise<void> {
  const child = spawn('pg_dump', ['--format=plain', '--no-owner', '--no-privileges', '--encoding=UTF8', `--dbname=${url}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (error) =>
      reject((error as NodeJS.ErrnoException).code === 'ENOENT' ? new BackupError('pg_dump is not on PATH: install the PostgreSQL client tools (version 15 or newer)') : error),
    );
    child.on('close', (code) => resolve(code));
  });
  const gzip = createGzip({ level: 6 });
  child.stdout.pipe(gzip);
  for await (const chunk of gzip) writer.write(chunk as Buffer);
  const code = await exited;
  if (code !== 0) throw new BackupError(`pg_dump failed: ${stderr.trim().split('\n')[0] ?? `exit code ${code}`}`);
}

const INT8 = 20;
const DATE = 1082;

/** A client with the application's type parsers (bigint as number, date as text). */
export function postgresClient(url: string): pg.Client {
  return new pg.Client({
    connectionString: url,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 ? (v: string) => Number(v) : oid === DATE ? (v: string) => v : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
}

/** Kysely over one client, so that raw COPY and the application's queries share its transaction. */
function kyselyOver(client: pg.Client): Kysely<DB> {
  const pool = { connect: async () => Object.assign(client, { release() {} }), end: async () => {} };
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
}

const COPY_LINE = /^COPY .+ FROM stdin;$/;

/**
 * Replaces everything in the database by the dump `plaintext` yields (gunzipped here), then runs
 * `after` in the same transaction; commits only if every chunk opened and the hash matched.
 */
export async function restorePostgres(url: string, plaintext: AsyncIterable<Buffer>, onReplacing: () => void, after: (tx: Tx) => Promise<void>): Promise<void> {
  const client = postgresClient(url);
  await client.connect();
  client.on('error', () => {});
  const db = kyselyOver(client);
  try {
    await db.transaction().execute(async (tx) => {
      onReplacing();
      await client.query(`set local lock_timeout = '60s'`);
      await client.query('drop schema public cascade; create schema public');
      const source = Readable.from(plaintext);
      const gunzip = createGunzip();
      source.on('error', (error) => gunzip.destroy(error));
      source.pipe(gunzip);
      let statement: string[] = [];
      let copy: NodeJS.WritableStream | null = null;
      let copyDone: Promise<void> | null = null;
      let copyLines: string[] = [];
      let rest = '';
      const decoder = new StringDecoder('utf8');
      const flushStatement = async () => {
        const text = statement.join('\n').trim();
        statement = [];
        if (text) await client.query(text);
      };
      const flushCopy = async () => {
        if (!copy || copyLines.length === 0) return;
        const ok = copy.write(`${copyLines.join('\n')}\n`);
        copyLines = [];
        if (!ok) await new Promise((resolve) => copy?.once('drain', resolve));
      };
      const line = async (text: string) => {
        if (copy) {
          if (text === '\\.') {
            await flushCopy();
            copy.end();
            await copyDone;
            copy = null;
            return;
          }
          copyLines.push(text);
          if (copyLines.length >= 2000) await flushCopy();
          return;
        }
        if (COPY_LINE.test(text)) {
          await flushStatement();
          const stream = client.query(copyFrom(text));
          copyDone = new Promise<void>((resolve, reject) => {
            stream.on('finish', () => resolve());
            stream.on('error', reject);
          });
          copyDone.catch(() => {});
          copy = stream;
          return;
        }
        if (text.startsWith('\\')) {
          // pg_dump 15.14 and later wrap the dump in \restrict … \unrestrict (psql only).
          if (/^\\(un)?restrict\b/.test(text)) return;
          throw new BackupError(`the dump holds a psql command this restore does not run: ${text.slice(0, 40)}`);
        }
        statement.push(text);
      };
      for await (const chunk of gunzip) {
        const lines = (rest + decoder.write(chunk as Buffer)).split('\n');
        rest = lines.pop() ?? '';
        for (const text of lines) await line(text);
      }
      rest += decoder.end();
      if (rest) await line(rest);
      if (copy) throw new BackupError('the dump ends inside a COPY block');
      await flushStatement();
      // The dump empties search_path for its own statements; the application's queries need it back.
      await client.query('reset search_path');
      await after(tx);
    });
  } finally {
    await db.destroy().catch(() => {});
    await client.end().catch(() => {});
  }
}
