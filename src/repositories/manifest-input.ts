import type { Executor } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import { couldBeUnder, type IsoDate } from '../domain/birth-date.ts';
import { type Category, visibleCategories } from '../domain/categories.ts';
import type { ManifestInput, ManifestPassenger } from '../reports/manifest.ts';
import { type MovementRow, manifestRows } from './movements.ts';
import { personVisibleTo } from './person-scope.ts';
import { sharedCategoriesInForce } from './agreements.ts';

const PHOTO_TYPES = new Set(['image/jpeg', 'image/png']);
const HIDDEN = '—';

/** Who a manifest is printed for: the caller, or the receiving side it is sent to (only its scope matters). */
export type ManifestReader = Pick<Actor, 'role' | 'countryCode' | 'agencyId'> & Partial<Pick<Actor, 'sharedCategories'>>;

/**
 * The receiving side of a movement, as a reader: for a repatriation, the embassy of the home country
 * (what it may see of each passenger is what leaves); for a transfer, the custody agency of the
 * receiving facility.
 */
export async function recipientOf(db: Executor, m: MovementRow, asOf: IsoDate): Promise<ManifestReader> {
  // The embassy receives what its country's data-sharing agreement in force adds to the default (decision 0023).
  if (m.kind === 'repatriation') {
    const sharedCategories = m.country_code ? await sharedCategoriesInForce(db, m.country_code, asOf) : null;
    return { role: 'embassy', countryCode: m.country_code, agencyId: null, sharedCategories };
  }
  const facility = m.to_facility_id ? await db.selectFrom('facilities').select('agency_id').where('id', '=', m.to_facility_id).executeTakeFirst() : undefined;
  return { role: 'custody', countryCode: null, agencyId: facility?.agency_id ?? null };
}

/** Only the fields of the categories the reader sees: names, sex and birth are identity; the case is case status. */
function project(p: ManifestPassenger, categories: ReadonlySet<Category>): ManifestPassenger {
  const identity = categories.has('identity');
  return {
    displayName: identity ? p.displayName : HIDDEN,
    latinName: identity ? p.latinName : HIDDEN,
    sex: identity ? p.sex : HIDDEN,
    birthDate: identity ? p.birthDate : HIDDEN,
    child: p.child,
    caseReference: categories.has('case_status') ? p.caseReference : null,
    escort: p.escort,
    photo: identity ? p.photo : null,
  };
}

/**
 * What the printable manifest of a movement shows to a reader: the manifest as it stands, only
 * the fields of the categories the reader's role sees, and photos only where it sees identity and
 * only of the people it may see (`personVisibleTo`).
 */
export async function loadManifestInput(db: Executor, reader: ManifestReader, asOf: IsoDate, m: MovementRow, printedAt: Date): Promise<{ input: ManifestInput; photos: number }> {
  const [passengers, escorts, country] = await Promise.all([
    manifestRows(db, m.id),
    db.selectFrom('movement_escorts').select(['id', 'name', 'role', 'organisation']).where('movement_id', '=', m.id).orderBy('created_at').execute(),
    m.country_code ? db.selectFrom('countries').select(['code', 'name_en', 'name_ar']).where('code', '=', m.country_code).executeTakeFirst() : undefined,
  ]);
  const categories = visibleCategories(reader.role, reader.sharedCategories);
  const withPhotos = categories.has('identity');
  const photos = new Map<string, Buffer>();
  const ids = passengers.map((p) => p.person_id);
  if (withPhotos && ids.length > 0) {
    // The latest photo of each passenger the reader may see, JPEG or PNG only.
    const rows = await db
      .selectFrom('photos as ph')
      .innerJoin('files as f', 'f.sha256', 'ph.file_sha256')
      .innerJoin('persons as p', 'p.id', 'ph.person_id')
      .select(['ph.person_id', 'f.content_type', 'f.data'])
      .where('ph.person_id', 'in', ids)
      .where(personVisibleTo(reader, asOf))
      .orderBy('ph.created_at', 'desc')
      .execute();
    for (const r of rows) if (!photos.has(r.person_id) && PHOTO_TYPES.has(r.content_type)) photos.set(r.person_id, Buffer.from(r.data));
  }
  const escortName = new Map(escorts.map((e) => [e.id, e.name]));
  const input: ManifestInput = {
    reference: m.reference,
    kind: m.kind as 'repatriation' | 'transfer',
    mode: m.mode as 'air' | 'land',
    status: m.status,
    country: country ? { code: country.code, en: country.name_en, ar: country.name_ar } : null,
    fromPlace: m.from_place,
    toPlace: m.to_place,
    carrier: m.carrier,
    flightNumber: m.flight_number,
    departureDate: m.departure_date,
    capacity: m.capacity,
    passengers: passengers.map((p) =>
      project(
        {
          displayName: p.display_name,
          latinName: p.latin_name ?? p.display_name,
          sex: p.sex,
          birthDate: p.birth_text ?? (p.birth_precision === 'exact' ? p.birth_earliest : p.birth_earliest.slice(0, 4)),
          child: couldBeUnder({ earliest: p.birth_earliest, latest: p.birth_latest }, 18, m.departure_date),
          caseReference: p.case_reference,
          escort: p.escort_id ? (escortName.get(p.escort_id) ?? null) : null,
          photo: photos.get(p.person_id) ?? null,
        },
        categories,
      ),
    ),
    escorts: escorts.map((e) => ({ name: e.name, role: e.role, organisation: e.organisation })),
    withPhotos,
    printedAt,
  };
  return { input, photos: photos.size };
}
