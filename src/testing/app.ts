import type { LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { type Config, loadConfig } from '../config/env.ts';
import { createUser } from '../commands/userCreator.ts';
import type { Role } from '../domain/roles.ts';
import { buildApp } from '../server/app.ts';
import type { ApiApp } from '../server/context.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestApp {
  readonly app: ApiApp;
  readonly database: TestDatabase;
  readonly config: Config;
  close(): Promise<void>;
}

/** A server on its own copy of the database, driven in-process with `inject`. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({ HOMEWARD_DATA_DIR: '/nonexistent-test-dir', ...env });
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const app = await buildApp({ database, config, log });
  await app.ready();
  return {
    app,
    database,
    config,
    async close() {
      await app.close();
      await database.destroy();
    },
  };
}

export const TEST_PASSWORD = 'correct-horse-battery-9';

let counter = 0;
/** A user of the given role with a known password; embassy users default to Russia. */
export async function makeUser(t: TestApp, role: Role, options: { username?: string; countryCode?: string } = {}) {
  counter += 1;
  const username = options.username ?? `${role.replace('_', '-')}-${counter}-${process.pid}`;
  const { user } = await createUser(
    t.database.db,
    { username, role, password: TEST_PASSWORD, countryCode: role === 'embassy' ? (options.countryCode ?? 'RUS') : undefined },
    { system: 'test' },
  );
  return user;
}

/** A signed-in client: sends the session cookie, and the CSRF token on changes. */
export interface Client {
  readonly cookie: string;
  readonly csrfToken: string;
  readonly userId: string;
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

export async function logInAs(t: TestApp, username: string, password = TEST_PASSWORD, totp?: string, remoteAddress?: string): Promise<Client> {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password, ...(totp ? { totp } : {}) }, ...(remoteAddress ? { remoteAddress } : {}) });
  if (response.statusCode !== 200) throw new Error(`login as ${username} failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'homeward_session');
  if (!cookie) throw new Error('no session cookie');
  const body = response.json() as { csrfToken: string; user: { id: string } };
  return clientFor(t, `homeward_session=${cookie.value}`, body.csrfToken, body.user.id);
}

export function clientFor(t: TestApp, cookie: string, csrfToken: string, userId: string): Client {
  return {
    cookie,
    csrfToken,
    userId,
    request(method, url, body, headers = {}) {
      const changes = !['GET', 'HEAD', 'OPTIONS'].includes(method);
      return t.app.inject({
        method: method as 'GET',
        url,
        headers: { cookie, ...(changes ? { 'x-csrf-token': csrfToken } : {}), ...headers },
        ...(body !== undefined ? { payload: body as object } : {}),
      });
    },
  };
}

/** Signs in a fresh user of each role. */
export async function clientsByRole(t: TestApp, roles: readonly Role[]): Promise<Map<Role, Client>> {
  const clients = new Map<Role, Client>();
  for (const role of roles) {
    const user = await makeUser(t, role);
    clients.set(role, await logInAs(t, user.username));
  }
  return clients;
}

let signedIn = 0;
/**
 * A new user of the role, signed in from an address of their own: the login rate
 * limit counts per address, and a test file signs in many people.
 */
export async function signInNew(t: TestApp, role: Role, options: { displayName?: string; agencyName?: string; countryCode?: string } = {}): Promise<Client> {
  signedIn += 1;
  const username = `${role.replace('_', '-')}-${signedIn}-${process.pid}`;
  const countryCode = role === 'embassy' ? (options.countryCode ?? 'RUS') : undefined;
  await createUser(t.database.db, { username, role, password: TEST_PASSWORD, displayName: options.displayName, agencyName: options.agencyName, countryCode }, { system: 'test' });
  return logInAs(t, username, TEST_PASSWORD, undefined, `10.${(process.pid >> 8) & 255}.${(signedIn >> 8) & 255}.${signedIn & 255}`);
}
