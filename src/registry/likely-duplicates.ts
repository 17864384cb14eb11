import type { Executor } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import { type BirthDateInput, type IsoDate, toRange } from '../domain/birth-date.ts';
import { assembleFullName, type NameInput } from '../domain/person.ts';
import { MATCH_THRESHOLD, nameSimilarity } from '../names/index.ts';
import { inSearchPlan, searchPersons, withListDetails } from '../repositories/person-search.ts';

export interface DuplicateCheck {
  readonly names: readonly NameInput[];
  readonly sex?: 'female' | 'male' | 'unknown' | undefined;
  readonly birthDate?: BirthDateInput | undefined;
}

/** The registry search's best 30 for one name, with the list details. */
async function searched(db: Executor, actor: Actor, asOf: IsoDate, name: string) {
  return inSearchPlan(db, { q: name }, { offset: 0, limit: 30 }, async (tx, run) => withListDetails(tx, await searchPersons(tx, actor, asOf, { q: name }, run).query.execute()));
}
type Row = Awaited<ReturnType<typeof searched>>[number];

const YEAR_MS = 365.25 * 86_400_000;
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

/** Years between two birth ranges (0 when they overlap). */
function birthGapYears(a: { earliest: string; latest: string }, b: { earliest: string; latest: string }): number {
  const gap = Math.max(day(a.earliest) - day(b.latest), day(b.earliest) - day(a.latest), 0);
  return gap / YEAR_MS;
}

/**
 * People already registered who may be the person about to be registered, so
 * that the clerk can open them before saving a second record: the registry
 * search on each name (any script), kept when a name is similar by the names
 * model, the sex does not differ and the birth ranges are within a year.
 * Only people the caller may see are looked at; the answer is a warning, not a rule.
 */
export async function likelyDuplicates(db: Executor, actor: Actor, asOf: IsoDate, check: DuplicateCheck, limit = 5) {
  const full = check.names.map(assembleFullName).filter((n) => n.trim().length > 0);
  if (full.length === 0) return [];
  const birth = check.birthDate ? toRange(check.birthDate) : null;
  const seen = new Map<string, { row: Row; similarity: number; birthGap: number | null }>();
  for (const name of full.slice(0, 5)) {
    const rows = await searched(db, actor, asOf, name);
    for (const row of rows) {
      if (check.sex && check.sex !== 'unknown' && row.sex !== 'unknown' && row.sex !== check.sex) continue;
      const gap = birth ? birthGapYears(birth, { earliest: row.birth_earliest, latest: row.birth_latest }) : null;
      if (gap !== null && gap > 1) continue;
      const similarity = Math.max(nameSimilarity(name, row.display_name), row.latin_name ? nameSimilarity(name, row.latin_name) : 0);
      if (similarity < MATCH_THRESHOLD) continue;
      const before = seen.get(row.id);
      if (!before || before.similarity < similarity) seen.set(row.id, { row, similarity, birthGap: gap });
    }
  }
  return [...seen.values()].sort((a, b) => b.similarity - a.similarity || a.row.id.localeCompare(b.row.id)).slice(0, limit);
}
