import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../../audit/trail.ts';
import { verifyAuditTrail, type VerifyResult } from '../../audit/verify.ts';
import { BackupError, type BackupHeader, type BackupSecrets, BackupWriter, openBackup, readHeader } from '../../backup/envelope.ts';
import { dumpPostgres, postgresClient, restorePostgres } from '../../backup/postgres.ts';
import { type Config, loadConfig } from '../../config/env.ts';
import { type Database, databaseFromPGlite, databaseFromUrl, type Executor, openPGlite } from '../../db/database.ts';
import { acquireDataDirLock, type DataDirLock } from '../../db/lock.ts';
import { MIGRATION_NAMES, migrateToLatest } from '../../db/migrator.ts';
import { completeSwap, finishInterruptedRestore, fsyncTree, INCOMING, LIVE, markSwap } from '../../db/restore-swap.ts';
import { keyringFromConfig } from '../../security/field-keys.ts';
import { CliError, parseOptions } from '../errors.ts';

/*
 * `homeward backup FILE` / `homeward backup --verify FILE` / `homeward restore FILE [--force] [--check]`
 * (decision 0024). A backup is the whole database (uploaded files live in it, table `files`), sealed
 * with AES-256-GCM (src/backup/envelope.ts). A restore opens and checks all of it before it replaces
 * anything, then replaces it in one transaction (PostgreSQL) or by swapping directories (embedded).
 */

const FileArgument = z.string().min(1, 'is required').max(4096);
export const BackupOptions = z.strictObject({ verify: z.boolean().optional() });
export const RestoreOptions = z.strictObject({ force: z.boolean().optional(), check: z.boolean().optional() });

const SYSTEM_BACKUP = { system: 'homeward backup' } as const;
const SYSTEM_RESTORE = { system: 'homeward restore' } as const;

function secretsOf(config: Config): BackupSecrets {
  const keyring = keyringFromConfig(config, { create: false });
  return {
    keys: new Map([...(keyring?.keys ?? new Map()).values()].map((k) => [k.id, k.key])),
    current: keyring ? { id: keyring.current.id, key: keyring.current.key } : null,
    passphrase: config.backupPassphrase,
  };
}

function fileOf(raw: string): string {
  const parsed = FileArgument.safeParse(raw);
  if (!parsed.success) throw new CliError(`<file>: ${parsed.error.issues[0]?.message}`, 2);
  return path.resolve(parsed.data);
}

function describe(header: BackupHeader): string {
  const sealed = header.kdf.kind === 'key' ? `key ${header.kdf.keyId}` : 'a passphrase (scrypt)';
  return `${header.database === 'pglite' ? 'embedded' : 'PostgreSQL'} database at migration ${header.migration}, made ${header.createdAt}, ${(header.plaintext.bytes / 1e6).toFixed(1)} MB, sealed with ${sealed}, SHA-256 ${header.plaintext.sha256.slice(0, 16)}…`;
}

async function appliedMigrations(db: Executor): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from homeward_migrations order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

/** Users or agencies on record: the database is in use. */
async function holdsData(db: Executor): Promise<number> {
  const exists = await sql<{ t: string | null }>`select to_regclass('public.users')::text as t`.execute(db);
  if (!exists.rows[0]?.t) return 0;
  const row = await sql<{ n: number }>`select (select count(*) from users) + (select count(*) from agencies) as n`.execute(db);
  return Number(row.rows[0]?.n ?? 0);
}

function reportAudit(result: VerifyResult): void {
  if (!result.ok) throw new CliError(`restored, but the audit trail is BROKEN: ${result.problem}`);
  console.log(`audit trail verified: ${result.eventsChecked} events in ${result.chains} chains, ${result.anchorsChecked} anchors`);
}

// ---- backup ---------------------------------------------------------------------------------

export async function backupCommand(rawFile: string, rawOptions: Record<string, unknown>): Promise<void> {
  const options = parseOptions(BackupOptions, rawOptions);
  const file = fileOf(rawFile);
  const config = loadConfig();
  const secrets = secretsOf(config);
  if (options.verify) return checkBackup(file, secrets);

  if (!fs.existsSync(path.dirname(file))) throw new CliError(`${path.dirname(file)}: no such directory`);
  if (fs.existsSync(file)) throw new CliError(`${file} already exists: choose another name (a backup never overwrites one)`);
  if (!secrets.passphrase && !secrets.current) throw new CliError('no secret to seal the backup with: set HOMEWARD_ENCRYPTION_KEY or HOMEWARD_BACKUP_PASSPHRASE');
  if (!secrets.passphrase && secrets.current && !config.encryptionKey) {
    console.log(`Sealing the backup with the key file ${path.join(config.dataDir, 'encryption.key')}: keep a copy of it apart from the backup, or set HOMEWARD_BACKUP_PASSPHRASE.`);
  }
  const started = performance.now();
  const createdAt = new Date().toISOString();
  let lock: DataDirLock | null = null;
  let database: Database | null = null;
  let writer: BackupWriter | null = null;
  try {
    let dump: (w: BackupWriter) => Promise<void>;
    if (config.database.kind === 'pglite') {
      lock = acquireDataDirLock(config.dataDir, 'homeward backup');
      finishInterruptedRestore(config.dataDir);
      const pglite = await openPGlite(config.database.dataDir);
      database = databaseFromPGlite(pglite);
      await migrateToLatest(database.db);
      dump = async (w) => {
        // The data directory as of now (the lock keeps every other process out), gzipped tar.
        const blob = await pglite.dumpDataDir('gzip');
        const bytes = Buffer.from(await blob.arrayBuffer());
        for (let at = 0; at < bytes.length; at += 256 * 1024) w.write(bytes.subarray(at, at + 256 * 1024));
      };
    } else {
      const url = config.database.url;
      database = databaseFromUrl(url, 2);
      await migrateToLatest(database.db);
      dump = (w) => dumpPostgres(url, w);
    }
    const migrations = await appliedMigrations(database.db);
    writer = new BackupWriter(file, secrets);
    console.log(`writing ${writer.partial}…`);
    await dump(writer);
    const header = writer.finish({
      createdAt,
      database: config.database.kind,
      payload: config.database.kind === 'pglite' ? 'pglite-datadir.tar.gz' : 'pg_dump.sql.gz',
      migration: migrations.at(-1) ?? '0000_none',
      migrations: migrations.length,
    });
    writer = null;
    await database.db.transaction().execute((tx) =>
      recordAudit(tx, {
        action: 'backup.created',
        entityType: 'database',
        actor: SYSTEM_BACKUP,
        after: { file: path.basename(file), createdAt, migration: header.migration, bytes: header.plaintext.bytes, sha256: header.plaintext.sha256, sealedWith: header.kdf.kind === 'key' ? `key ${header.kdf.keyId}` : 'passphrase' },
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(`backup written: ${file} (${describe(header)}) in ${seconds.toFixed(1)} s`);
  } catch (error) {
    writer?.abort();
    if (error instanceof BackupError) throw new CliError(error.message);
    throw error;
  } finally {
    await database?.close();
    lock?.release();
  }
}

/** `homeward backup --verify FILE` / `homeward restore --check FILE`: opens all of it, touches nothing. */
async function checkBackup(file: string, secrets: BackupSecrets): Promise<void> {
  try {
    const chunks = openBackup(file, secrets);
    let next = await chunks.next();
    while (!next.done) next = await chunks.next();
    const header = next.value;
    const known = MIGRATION_NAMES.includes(header.migration) ? '' : ` — made by a newer version of Homeward (migration ${header.migration}): this one cannot restore it`;
    console.log(`backup verified: ${file} (${describe(header)}); ${header.chunks} chunks opened, SHA-256 matches${known}`);
  } catch (error) {
    if (error instanceof BackupError) throw new CliError(error.message);
    throw error;
  }
}

// ---- restore --------------------------------------------------------------------------------

export async function restoreCommand(rawFile: string, rawOptions: Record<string, unknown>): Promise<void> {
  const options = parseOptions(RestoreOptions, rawOptions);
  const file = fileOf(rawFile);
  const config = loadConfig();
  const secrets = secretsOf(config);
  if (options.check) return checkBackup(file, secrets);
  try {
    const header = readHeader(file);
    if (header.database !== config.database.kind) {
      throw new CliError(
        header.database === 'pglite'
          ? `${file} is a backup of an embedded database: restore it with DATABASE_URL unset`
          : `${file} is a backup of a PostgreSQL database: restore it with DATABASE_URL set to the database to replace`,
      );
    }
    if (!MIGRATION_NAMES.includes(header.migration)) {
      throw new CliError(`${file} was made by a newer version of Homeward (migration ${header.migration}; this one knows up to ${MIGRATION_NAMES.at(-1)}): upgrade Homeward first`);
    }
    const started = performance.now();
    if (config.database.kind === 'postgres') await restoreIntoPostgres(file, header, config.database.url, secrets, options.force === true);
    else await restoreIntoPGlite(file, header, config, secrets, options.force === true);
    console.log(`restored ${file} (${describe(header)}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    if (error instanceof BackupError) throw new CliError(`${error.message}; nothing was changed`);
    throw error;
  }
}

function restoredEvent(file: string, header: BackupHeader) {
  return {
    action: 'backup.restored',
    entityType: 'database',
    actor: SYSTEM_RESTORE,
    after: { file: path.basename(file), createdAt: header.createdAt, migration: header.migration, bytes: header.plaintext.bytes, sha256: header.plaintext.sha256 },
  };
}

async function restoreIntoPostgres(file: string, header: BackupHeader, url: string, secrets: BackupSecrets, force: boolean): Promise<void> {
  // 1. Everything checked before anything is touched: every chunk opens, the SHA-256 matches.
  console.log(`checking ${file}…`);
  let next;
  const check = openBackup(file, secrets);
  do next = await check.next();
  while (!next.done);
  // 2. Data there already is replaced only when asked.
  const probe = postgresClient(url);
  await probe.connect();
  try {
    const n = Number((await probe.query(`select case when to_regclass('public.users') is null then 0 else (select count(*) from users) + (select count(*) from agencies) end as n`)).rows[0]?.n ?? 0);
    if (n > 0 && !force) throw new CliError(`the database holds data (${n} users and agencies): a restore replaces all of it; add --force to go ahead`);
  } finally {
    await probe.end();
  }
  // 3. One transaction: the schema dropped, the dump replayed, the restore audited — or nothing.
  //    The file is opened (and checked) again as it is replayed: a file changed since step 1 rolls back.
  await restorePostgres(url, openBackup(file, secrets), () => console.log('replacing the database (one transaction)…'), (tx) => recordAudit(tx, restoredEvent(file, header)));
  const database = databaseFromUrl(url, 2);
  try {
    await migrateToLatest(database.db);
    reportAudit(await verifyAuditTrail(database.db));
  } finally {
    await database.close();
  }
}

async function restoreIntoPGlite(file: string, header: BackupHeader, config: Config, secrets: BackupSecrets, force: boolean): Promise<void> {
  // 1. Opened and checked whole before anything is touched (the embedded database loads from memory).
  console.log(`checking ${file}…`);
  const parts: Buffer[] = [];
  const chunks = openBackup(file, secrets);
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) parts.push(next.value);
  const lock = acquireDataDirLock(config.dataDir, 'homeward restore');
  try {
    finishInterruptedRestore(config.dataDir);
    const live = path.join(config.dataDir, LIVE);
    // 2. Data there already is replaced only when asked.
    if (fs.existsSync(live)) {
      const current = databaseFromPGlite(await openPGlite(live));
      try {
        const n = await holdsData(current.db);
        if (n > 0 && !force) throw new CliError(`the database holds data (${n} users and agencies): a restore replaces all of it; add --force to go ahead`);
      } finally {
        await current.close();
      }
    }
    // 3. The restored database built whole beside the live one, brought up to date, audited, flushed.
    const incoming = path.join(config.dataDir, INCOMING);
    fs.rmSync(incoming, { recursive: true, force: true });
    console.log('building the restored database…');
    const restored = databaseFromPGlite(await openPGlite(incoming, new Blob([Buffer.concat(parts)])));
    parts.length = 0;
    try {
      await migrateToLatest(restored.db);
      await restored.db.transaction().execute((tx) => recordAudit(tx, restoredEvent(file, header)));
    } finally {
      await restored.close();
    }
    fsyncTree(incoming);
    // 4. Decided (the marker), then swapped: a process killed from here on is finished by the next start.
    console.log('replacing the database…');
    markSwap(config.dataDir, { file: path.basename(file), sha256: header.plaintext.sha256, at: new Date().toISOString() });
    completeSwap(config.dataDir);
    const database = databaseFromPGlite(await openPGlite(live));
    try {
      reportAudit(await verifyAuditTrail(database.db));
    } finally {
      await database.close();
    }
  } finally {
    lock.release();
  }
}
