import assert from 'node:assert/strict';
import { ROLES, type Role } from '../domain/roles.ts';
import type { Client } from './app.ts';

/**
 * The role × endpoint matrix: for each endpoint, the status every role gets.
 * Later capabilities add their rows; a role left out of `allow` must be refused
 * (403 for an action its role may not take, 404 for a record it may not see).
 */
export interface MatrixRow {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Roles that may, with the status they get (e.g. 200 or 201). */
  readonly allow: Partial<Record<Role, number>>;
  /** Status for every other role; 403 unless said otherwise. */
  readonly deny?: number;
}

export async function checkMatrix(clients: ReadonlyMap<Role, Client>, rows: readonly MatrixRow[]): Promise<void> {
  const failures: string[] = [];
  for (const row of rows) {
    for (const role of ROLES) {
      const client = clients.get(role);
      if (!client) continue;
      const expected = row.allow[role] ?? row.deny ?? 403;
      const response = await client.request(row.method, row.url, row.body, row.headers);
      if (response.statusCode !== expected) {
        failures.push(`${role} ${row.method} ${row.url}: expected ${expected}, got ${response.statusCode} ${response.body.slice(0, 200)}`);
      }
    }
  }
  assert.deepEqual(failures, [], `role × endpoint matrix:\n${failures.join('\n')}`);
}
