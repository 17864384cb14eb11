import { type Kysely, sql } from 'kysely';

// Frozen in time: the registry search's exact names (decision 0034). A person's `search_text` is
// their names, normalised, and the Latin rendering of each, joined by ' | '; a search ranks first the
// people one of whose names is exactly the query (normalised, or its Latin rendering). Among a
// million people the words of a common name ("عبد الله إبراهيم") match thousands, of whom a thousand
// were ranked, chosen by where their rows lie — the exact namesakes among them or not — each scored by
// trigram similarity (about 20 µs a person). This index finds the exact namesakes by name at once, so
// that they are always ranked, and first, and when they fill the page the rest is not scored at all.
// No application imports.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index persons_exact_names_idx on persons using gin (string_to_array(search_text, ' | '))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists persons_exact_names_idx`.execute(db);
}
