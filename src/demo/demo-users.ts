import type { SystemActor } from '../audit/trail.ts';
import { createUser } from '../commands/userCreator.ts';
import type { Db } from '../db/database.ts';
import type { Role } from '../domain/roles.ts';
import { DEMO_COUNTRIES } from './countries.ts';

const SYSTEM: SystemActor = { system: 'demo' };

/** The host country's agencies in the demo (fictional). */
const DEMO_AGENCIES: readonly { role: Exclude<Role, 'embassy'>; agency: string; displayName: string }[] = [
  { role: 'coordinator', agency: 'Ministry of Foreign Affairs — Legal Directorate', displayName: 'Legal Directorate coordinator' },
  { role: 'judiciary', agency: 'High Judicial Council', displayName: 'Judicial Council clerk' },
  { role: 'custody', agency: 'Ministry of Justice — Corrective Directorates', displayName: 'Corrective Directorates officer' },
  { role: 'security', agency: 'National Security Agencies', displayName: 'Security screening officer' },
  { role: 'child_protection', agency: 'Child Protection Office (UN)', displayName: 'Child protection officer' },
  { role: 'admin', agency: 'Homeward Administration', displayName: 'System administrator' },
  { role: 'auditor', agency: 'Office of the Inspector General', displayName: 'Inspector (audit)' },
];

export interface DemoUser {
  readonly username: string;
  readonly role: Role;
}

/** One user per role, `demo-<role>`, and one embassy user per demo country, `demo-embassy-<iso3>`. */
export async function createDemoUsers(db: Db, password: string): Promise<DemoUser[]> {
  const made: DemoUser[] = [];
  for (const { role, agency, displayName } of DEMO_AGENCIES) {
    const username = `demo-${role.replace('_', '-')}`;
    await createUser(db, { username, role, agencyName: agency, displayName, password }, SYSTEM);
    made.push({ username, role });
  }
  for (const country of DEMO_COUNTRIES) {
    const username = `demo-embassy-${country.code.toLowerCase()}`;
    await createUser(
      db,
      { username, role: 'embassy', countryCode: country.code, displayName: `Consul, ${country.name}`, password },
      SYSTEM,
    );
    made.push({ username, role: 'embassy' });
  }
  return made;
}
