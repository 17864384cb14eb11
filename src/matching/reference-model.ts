/**
 * Person-level m probabilities for the registry's fields, learned once per
 * process on a synthetic multi-script population with known duplicates
 * (population.ts): how often two records of the *same person* agree on each field,
 * at each level. The registry itself cannot teach this — a prison registry of
 * mothers and their children holds far more siblings than duplicates, and EM on
 * it learns what a family shares, not what a person does. u (how often two
 * different people agree) is still learned from the registry itself.
 */
import type { FieldName, MatchRecord } from './fields.ts';
import { linkRecords } from './link.ts';
import { generatePopulation } from './population.ts';

const REFERENCE_RECORDS = 6_000;
/**
 * Share of each field's m spread evenly over its levels: a level the synthetic
 * duplicates never showed (a family name rendered in another script, say) must
 * weigh against a pair, not rule it out.
 */
const SMOOTHING = 0.2;
let cached: Partial<Record<FieldName, Float64Array>> | null = null;

/**
 * The population's records as registrations look: "other names" (the name written
 * whole), and a year of birth often recorded as an estimate, "about YEAR", a
 * range of three years (as the registry stores it).
 */
function asRegistrations(records: readonly MatchRecord[]): MatchRecord[] {
  return records.map((r, i) => {
    const year = /^\d{4}$/.test(r.birth_date ?? '') ? Number(r.birth_date) : null;
    const estimated = year !== null && i % 2 === 0 ? `${year - 1}-01-01..${year + 1}-12-31` : r.birth_date;
    return { ...r, birth_date: estimated, other_names: [r.given_name, r.family_name].filter(Boolean).join(' ') || null };
  });
}

/** m mixed with an even share over the known levels (level 0, unknown, stays 0). */
function smooth(m: Float64Array): Float64Array {
  const levels = m.length - 1;
  return Float64Array.from(m, (x, l) => (l === 0 ? 0 : (1 - SMOOTHING) * x + SMOOTHING / levels));
}

/** m per field and level (the engine's levels), deterministic; computed on first use (a few seconds). */
export function referenceM(): Partial<Record<FieldName, Float64Array>> {
  if (cached) return cached;
  const population = generatePopulation({ records: REFERENCE_RECORDS, seed: 'homeward-reference-model' });
  const result = linkRecords(asRegistrations(population.records), null, { threshold: 0.99 });
  cached = Object.fromEntries(result.model.fields.map((f) => [f.field, smooth(f.m)]));
  return cached;
}
