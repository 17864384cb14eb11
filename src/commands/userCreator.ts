import { recordAudit, type SystemActor } from '../audit/trail.ts';
import type { Db, Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import { DomainError, invalid } from '../domain/errors.ts';
import { AGENCY_KIND_OF_ROLE, type Role } from '../domain/roles.ts';
import { findUserById, type UserWithAgency } from '../repositories/users.ts';
import { generatePassword, hashPassword, passwordProblem } from '../security/passwords.ts';

export interface NewUserInput {
  readonly username: string;
  readonly displayName?: string | undefined;
  readonly role: Role;
  readonly countryCode?: string | undefined;
  /** An existing agency (API), or ... */
  readonly agencyId?: string | undefined;
  /** ... an agency by name, made if it does not exist yet (CLI `--agency NAME`). */
  readonly agencyName?: string | undefined;
  /** When absent, a one-time password is generated and must be changed. */
  readonly password?: string | undefined;
}

export interface CreatedUser {
  readonly user: UserWithAgency;
  readonly oneTimePassword: string | null;
}

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,62}$/;

/** Makes a user who can log in, with the agency they work for. Audited. */
export async function createUser(db: Db, input: NewUserInput, actor: Actor | SystemActor): Promise<CreatedUser> {
  const username = input.username.trim().toLowerCase();
  if (!USERNAME_PATTERN.test(username)) {
    throw invalid('username', 'must be 2–63 characters: lower-case letters, digits, dot, dash or underscore');
  }
  if (input.role === 'embassy' && !input.countryCode) throw invalid('country', 'is required for the embassy role (ISO 3166 alpha-3, e.g. RUS)');
  if (input.role !== 'embassy' && input.countryCode) throw invalid('country', 'is only for the embassy role');
  const oneTimePassword = input.password === undefined ? generatePassword() : null;
  const password = input.password ?? (oneTimePassword as string);
  const problem = passwordProblem(password, username);
  if (problem) throw new DomainError('invalid', 'weak_password', `password: ${problem}`, [{ path: 'password', message: problem }]);
  const passwordHash = await hashPassword(password);

  // Inside the caller's transaction when there is one (the generator makes its users in its own).
  const inTransaction = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => (db.isTransaction ? fn(db as Tx) : db.transaction().execute(fn));
  const id = await inTransaction(async (tx) => {
    let countryName: string | null = null;
    if (input.countryCode) {
      const country = await tx.selectFrom('countries').select('name_en').where('code', '=', input.countryCode).executeTakeFirst();
      if (!country) throw invalid('country', `${input.countryCode} is not an ISO 3166 alpha-3 country code`);
      countryName = country.name_en;
    }
    const agencyId = await resolveAgency(tx, input, countryName);
    const taken = await tx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
    if (taken) throw new DomainError('conflict', 'username_taken', `the username ${username} is taken`, [{ path: 'username', message: 'is taken' }]);
    const row = await tx
      .insertInto('users')
      .values({
        username,
        display_name: input.displayName?.trim() || username,
        role: input.role,
        agency_id: agencyId,
        country_code: input.countryCode ?? null,
        password_hash: passwordHash,
        must_change_password: oneTimePassword !== null,
        updated_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      action: 'user.created',
      entityType: 'user',
      entityId: row.id,
      actor,
      after: { username, role: input.role, agencyId, countryCode: input.countryCode ?? null },
    });
    return row.id;
  });
  const user = await findUserById(db, id);
  if (!user) throw new Error('created user vanished');
  return { user, oneTimePassword };
}

async function resolveAgency(tx: Tx, input: NewUserInput, countryName: string | null): Promise<string | null> {
  if (input.agencyId) {
    const agency = await tx.selectFrom('agencies').select(['id', 'kind', 'country_code']).where('id', '=', input.agencyId).executeTakeFirst();
    if (!agency) throw invalid('agencyId', 'no such agency');
    if (input.role === 'embassy' && agency.country_code !== input.countryCode) {
      throw invalid('agencyId', "an embassy user belongs to their own country's mission");
    }
    return agency.id;
  }
  const name = input.agencyName?.trim() || (input.role === 'embassy' && countryName ? `Embassy of ${countryName}` : null);
  if (!name) return null;
  const existing = await tx.selectFrom('agencies').select(['id', 'country_code']).where('name', '=', name).executeTakeFirst();
  if (existing) {
    if (input.role === 'embassy' && existing.country_code !== input.countryCode) {
      throw invalid('agency', `the agency ${name} is not the mission of ${input.countryCode}`);
    }
    return existing.id;
  }
  const kind = AGENCY_KIND_OF_ROLE[input.role];
  const created = await tx
    .insertInto('agencies')
    .values({ name, kind, country_code: kind === 'embassy' ? (input.countryCode ?? null) : null, updated_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return created.id;
}
