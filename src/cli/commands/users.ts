import { z } from 'zod';
import { createApiToken } from '../../commands/tokenCreator.ts';
import { createUser } from '../../commands/userCreator.ts';
import { TOKEN_SCOPES } from '../../domain/actor.ts';
import { CountryCodeSchema, RoleSchema } from '../../domain/roles.ts';
import { findUserByUsername } from '../../repositories/users.ts';
import { passwordProblem } from '../../security/passwords.ts';
import { CliError, parseOptions } from '../errors.ts';
import { readStdin, withRuntime } from '../runtime.ts';

const UserAddOptions = z.object({
  username: z.string().min(1),
  role: RoleSchema,
  country: z
    .string()
    .transform((v) => v.toUpperCase())
    .pipe(CountryCodeSchema)
    .optional(),
  agency: z.string().trim().min(1).max(200).optional(),
  displayName: z.string().trim().min(1).max(200).optional(),
});

/** `homeward user add --username NAME --role ROLE [--country ISO3] [--agency NAME]`, password on standard input. */
export async function userAdd(raw: Record<string, unknown>): Promise<void> {
  const options = parseOptions(UserAddOptions, raw);
  const password = await readStdin();
  if (!password) throw new CliError('no password on standard input (e.g. `echo "$PASSWORD" | homeward user add ...`)');
  // The password's rules first: a weak one is refused before the database is opened (or made and migrated).
  const problem = passwordProblem(password, options.username.trim().toLowerCase());
  if (problem) throw new CliError(`password: ${problem}`);
  await withRuntime('homeward user add', async ({ database }) => {
    const { user } = await createUser(
      database.db,
      {
        username: options.username,
        role: options.role,
        countryCode: options.country,
        agencyName: options.agency,
        displayName: options.displayName,
        password,
      },
      { system: 'cli' },
    );
    console.log(`created user ${user.username} (${user.role}${user.country_code ? `, ${user.country_code}` : ''}${user.agency_name ? `, ${user.agency_name}` : ''})`);
  });
}

const TokenCreateOptions = z.object({
  username: z.string().min(1),
  name: z.string().trim().min(1).max(100).default('cli'),
  scopes: z
    .string()
    .default('read')
    .transform((v) => v.split(',').map((s) => s.trim()))
    .pipe(z.array(z.enum(TOKEN_SCOPES)).min(1)),
  expiresDays: z.coerce.number().int().min(1).max(365).default(90),
});

/** `homeward token create --username NAME [--name N] [--scopes read,write] [--expires-days D]`: prints the token once. */
export async function tokenCreate(raw: Record<string, unknown>): Promise<void> {
  const options = parseOptions(TokenCreateOptions, raw);
  await withRuntime('homeward token create', async ({ database }) => {
    const user = await findUserByUsername(database.db, options.username.toLowerCase());
    if (!user) throw new CliError(`no user named ${options.username}`);
    const created = await createApiToken(
      database.db,
      { userId: user.id, name: options.name, scopes: options.scopes, expiresInDays: options.expiresDays },
      { system: 'cli' },
    );
    process.stderr.write(`API token for ${user.username} (${options.scopes.join(',')}), expires ${created.expiresAt.toISOString().slice(0, 10)}; shown once:\n`);
    console.log(created.token);
  });
}
