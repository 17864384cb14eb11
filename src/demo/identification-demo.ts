import { sql } from 'kysely';
import { recordAudit, type SystemActor } from '../audit/trail.ts';
import { scheduleSweep } from '../commands/candidateFinder.ts';
import { registerPerson } from '../commands/personRegistrar.ts';
import type { Tx } from '../db/database.ts';
import { addDays, addYears, displayBirthDate, type IsoDate } from '../domain/birth-date.ts';
import { DEMO_COUNTRIES } from './countries.ts';
import { Random } from './random.ts';

const SYSTEM: SystemActor = { system: 'demo' };

/** Where each country's mission to the host state is, in the demo (fictional contacts). */
const NON_RESIDENT: Readonly<Record<string, string>> = {
  TJK: 'Embassy in Tehran',
  KGZ: 'Embassy in Ankara',
  FIN: 'Embassy in Amman',
  TTO: 'High Commission in London',
  BLR: 'Embassy in Tehran',
};

export interface IdentificationDemoResult {
  readonly missions: number;
  readonly verificationRequests: number;
  readonly tracingRequests: number;
  readonly duplicates: number;
}

interface Child {
  readonly id: string;
  readonly sex: string;
  readonly birth_earliest: string;
  readonly birth_latest: string;
  readonly birth_precision: string;
  readonly names: { kind: string; full: string; given: string | null; father: string | null; family: string | null; script: string }[];
}

/** Demo children of a country with their names, in a stable order. */
async function childrenOf(tx: Tx, country: string): Promise<Child[]> {
  const rows = await sql<Child>`
    select p.id, p.sex, p.birth_earliest::text as birth_earliest, p.birth_latest::text as birth_latest, p.birth_precision,
      coalesce(json_agg(json_build_object('kind', n.kind, 'full', n.full_name, 'given', n.given_name, 'father', n.father_name, 'family', n.family_name, 'script', n.script)
        order by n.kind <> 'primary', n.created_at) filter (where n.id is not null), '[]') as names
    from persons p join person_names n on n.person_id = p.id
    where p.external_ref like ${`DEMO-${country}-C-%`}
    group by p.id order by p.external_ref`.execute(tx);
  return rows.rows;
}

/**
 * The identification part of the demo: every country's mission, nationality
 * verification under way (Tajikistan's list overdue and half answered), tracing
 * requests from families — one of them for a Russian boy recorded in Arabic in
 * Baghdad and sought in Cyrillic by his grandmother — and children registered
 * twice, in another facility and another script. A sweep of the matching engine
 * is queued, so that the review queue fills once the server runs.
 */
export async function loadIdentificationDemo(tx: Tx, asOf: IsoDate): Promise<IdentificationDemoResult> {
  const random = new Random(`homeward-identification-${asOf}`);
  const coordinator = await tx.selectFrom('users').select('id').where('username', '=', 'demo-coordinator').executeTakeFirstOrThrow();
  const embassies = await tx.selectFrom('users').select(['id', 'country_code', 'agency_id']).where('role', '=', 'embassy').execute();
  const embassyOf = new Map(embassies.map((e) => [e.country_code as string, e]));

  for (const { code } of DEMO_COUNTRIES) {
    const accredited = NON_RESIDENT[code];
    await tx
      .insertInto('missions')
      .values({
        country_code: code,
        agency_id: embassyOf.get(code)?.agency_id ?? null,
        residency: accredited ? 'non_resident' : 'resident',
        accredited_from: accredited ?? null,
        address: accredited ? null : 'Diplomatic quarter, Baghdad',
        phone: `+964 1 ${String(random.int(100, 999))} ${String(random.int(1000, 9999))}`,
        contact_name: 'Consular section',
        updated_at: new Date(),
      })
      .execute();
  }

  // Tajikistan: a list of 30 children sent 40 days ago, due 10 days ago; 12 answered so far (overdue).
  const tjk = await childrenOf(tx, 'TJK');
  const listed = tjk.slice(0, 30);
  const request = await tx
    .insertInto('verification_requests')
    .values({ country_code: 'TJK', note: 'Children held with their mothers; please confirm nationality before the next meeting.', due_on: addDays(asOf, -10), sent_by: coordinator.id, sent_at: new Date(`${addDays(asOf, -40)}T09:00:00Z`) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const tjkEmbassy = embassyOf.get('TJK');
  await tx
    .insertInto('verification_items')
    .values(
      listed.map((c, i) => {
        const answered = i < 12;
        return {
          request_id: request.id,
          person_id: c.id,
          answer: answered ? (i === 11 ? 'more_information' : 'confirmed') : null,
          evidence: answered ? (i === 11 ? 'Please send the mother’s maiden name and village.' : 'Found in the civil register (birth recorded by the family).') : null,
          answered_by: answered ? (tjkEmbassy?.id ?? null) : null,
          answered_at: answered ? new Date(`${addDays(asOf, -5)}T10:00:00Z`) : null,
        };
      }),
    )
    .execute();
  const confirmed = listed.slice(0, 11).map((c) => c.id);
  await tx.updateTable('person_nationalities').set({ status: 'verified', source: 'mission of TJK', decided_at: new Date(`${addDays(asOf, -5)}T10:00:00Z`) }).where('person_id', 'in', confirmed).where('country_code', '=', 'TJK').execute();
  // Russia: a list of 10 sent this week, nothing answered yet.
  const rus = await childrenOf(tx, 'RUS');
  const rusRequest = await tx
    .insertInto('verification_requests')
    .values({ country_code: 'RUS', note: 'Children of the group awaiting the next flight.', due_on: addDays(asOf, 21), sent_by: coordinator.id, sent_at: new Date(`${addDays(asOf, -3)}T09:00:00Z`) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx.insertInto('verification_items').values(rus.slice(40, 50).map((c) => ({ request_id: rusRequest.id, person_id: c.id }))).execute();

  // Families looking for children, through their embassies.
  const arabicBoy = rus.find((c) => c.sex === 'male' && c.names[0]?.script === 'arabic' && c.names.some((n) => n.script === 'cyrillic'));
  const tracing: { country: string; names: string[]; sex: string; earliest: string | null; latest: string | null; father: string | null; enquirer: string; relationship: string; place: string }[] = [];
  if (arabicBoy) {
    const cyrillic = arabicBoy.names.find((n) => n.script === 'cyrillic');
    tracing.push({
      country: 'RUS',
      names: [cyrillic?.full ?? arabicBoy.names[0]?.full ?? ''],
      sex: 'male',
      earliest: addYears(arabicBoy.birth_earliest, -1),
      latest: addYears(arabicBoy.birth_latest, 1),
      father: cyrillic?.father ?? null,
      enquirer: 'Патимат Г.',
      relationship: 'grandmother',
      place: 'Mosul',
    });
  }
  const girl = tjk.find((c, i) => i >= 30 && c.sex === 'female');
  if (girl) tracing.push({ country: 'TJK', names: [girl.names.find((n) => n.script === 'cyrillic')?.full ?? girl.names[0]?.full ?? ''], sex: 'female', earliest: girl.birth_earliest, latest: girl.birth_latest, father: null, enquirer: 'Гулнора Р.', relationship: 'aunt', place: 'Tal Afar' });
  tracing.push({ country: 'KAZ', names: ['Айгерим Сапарова'], sex: 'female', earliest: addYears(asOf, -12), latest: addYears(asOf, -10), father: null, enquirer: 'Асель С.', relationship: 'mother’s sister', place: 'Raqqa' });
  for (const t of tracing) {
    const embassy = embassyOf.get(t.country);
    const row = await tx
      .insertInto('tracing_requests')
      .values({
        country_code: t.country,
        sought_names: t.names,
        sought_sex: t.sex,
        sought_birth_earliest: t.earliest,
        sought_birth_latest: t.latest,
        sought_birth_text: t.earliest && t.latest ? displayBirthDate({ precision: 'estimated', earliest: t.earliest, latest: t.latest, text: '' }) : null,
        father_name: t.father,
        last_known_place: t.place,
        enquirer_name: t.enquirer,
        enquirer_relationship: t.relationship,
        enquirer_contact: 'through the embassy',
        filed_by: embassy?.id ?? null,
        agency_id: embassy?.agency_id ?? null,
        updated_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, { action: 'tracing.filed', entityType: 'tracing_request', entityId: row.id, actor: SYSTEM, after: { demo: true } });
  }

  // Children registered a second time, in the camp, under another rendering of their name.
  const camp = await tx.selectFrom('facilities').select('id').where('kind', '=', 'camp').executeTakeFirst();
  let duplicates = 0;
  for (const child of [rus[60], tjk[50], (await childrenOf(tx, 'AZE'))[5]]) {
    const other = child?.names.find((n) => n.kind !== 'primary') ?? child?.names[0];
    if (!child || !other) continue;
    await registerPerson(
      tx,
      {
        sex: child.sex as 'female' | 'male',
        birthDate: { precision: 'year', year: Number(child.birth_earliest.slice(0, 4)) + (child.birth_precision === 'estimated' ? 1 : 0) },
        names: [{ kind: 'primary', ...(other.given ? { givenName: other.given } : {}), ...(other.father ? { fatherName: other.father } : {}), ...(other.family ? { familyName: other.family } : {}), ...(!other.given && !other.family ? { fullName: other.full } : {}) }],
        nationalities: [],
        vitalStatus: 'alive',
        withheldFromEmbassy: false,
        ...(camp ? { custody: { facilityId: camp.id, admittedOn: addDays(asOf, -400) } } : {}),
      },
      SYSTEM,
      asOf,
    );
    duplicates += 1;
  }
  await scheduleSweep(tx);
  return { missions: DEMO_COUNTRIES.length, verificationRequests: 2, tracingRequests: tracing.length, duplicates };
}
