import type { Executor } from '../db/database.ts';

/** A user with the agency they belong to and whether their role requires two-factor login. */
export function selectUsersWithAgency(db: Executor) {
  return db
    .selectFrom('users as u')
    .leftJoin('agencies as a', 'a.id', 'u.agency_id')
    .innerJoin('role_settings as r', 'r.role', 'u.role')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.role',
      'u.agency_id',
      'a.name as agency_name',
      'u.country_code',
      'u.locale',
      'u.password_hash',
      'u.must_change_password',
      'u.totp_secret',
      'u.totp_last_step',
      'u.disabled_at',
      'u.version',
      'u.created_at',
      'r.totp_required as role_requires_totp',
    ]);
}

export type UserWithAgency = Awaited<ReturnType<ReturnType<typeof selectUsersWithAgency>['executeTakeFirstOrThrow']>>;

export function findUserById(db: Executor, id: string): Promise<UserWithAgency | undefined> {
  return selectUsersWithAgency(db).where('u.id', '=', id).executeTakeFirst();
}

export function findUserByUsername(db: Executor, username: string): Promise<UserWithAgency | undefined> {
  return selectUsersWithAgency(db).where('u.username', '=', username).executeTakeFirst();
}
