import { recordAudit } from '../audit/trail.ts';
import type { Db, Executor } from '../db/database.ts';
import { enqueueJob } from '../jobs/queue.ts';
import type { Explanation } from '../matching/explain.ts';
import { parseBirthDate } from '../matching/dates.ts';
import { linkRecords } from '../matching/link.ts';
import { referenceM } from '../matching/reference-model.ts';
import { recordedRelatives, registryRecords, type SubjectRecord, tracingRecords } from '../repositories/match-records.ts';

/**
 * Pairs at or above this probability are proposed for review. Lower than the
 * engine's linking threshold (0.5) on purpose: a person decides each pair, and a
 * missed child costs more than a pair rejected in a glance.
 */
export const PROPOSAL_THRESHOLD = 0.2;
/** The engine's own cut, below which a pair is not worth re-weighing. */
const ENGINE_FLOOR = 1e-4;
const MAX_BIRTH_GAP_DAYS = 10 * 365;
/** How likely a family's tracing request is to name someone in the registry at all. */
const TRACING_FOUND_SHARE = 0.5;
const SWEEP_BUCKET_MS = 10_000;

export interface SweepReport {
  readonly records: number;
  readonly pairs: number;
  readonly duplicates: number;
  readonly tracing: number;
}

interface Proposal {
  readonly kind: 'duplicate' | 'tracing';
  readonly personId: string;
  readonly otherPersonId: string | null;
  readonly tracingRequestId: string | null;
  readonly probability: number;
  readonly explanation: Explanation;
}

/**
 * What the registry already knows rules a pair out, whatever the names say: two
 * people recorded as relatives (siblings through the same mother, a mother and
 * her child) are two people, and so are a man and a woman, and two people born
 * more than ten years apart.
 */
function couldBeOnePerson(a: SubjectRecord, b: SubjectRecord, relatives: ReadonlySet<string>): boolean {
  const [sa, sb] = [a.record.sex, b.record.sex];
  if (sa && sb && sa !== sb) return false;
  // Births more than ten years apart, beyond every estimate: a mother and her namesake daughter, not one person.
  const [ba, bb] = [parseBirthDate(a.record.birth_date), parseBirthDate(b.record.birth_date)];
  if (ba && bb && Math.max(ba.from - bb.to, bb.from - ba.to) > MAX_BIRTH_GAP_DAYS) return false;
  if (a.ref.kind === 'person' && b.ref.kind === 'person') {
    const key = a.ref.id < b.ref.id ? `${a.ref.id}:${b.ref.id}` : `${b.ref.id}:${a.ref.id}`;
    if (relatives.has(key)) return false;
  }
  return true;
}

const logit = (p: number) => Math.log2(p / (1 - p));
/** The probability of a pair whose evidence was weighed against `fromPrior`, weighed against `toPrior` instead. */
function reweigh(probability: number, fromPrior: number, toPrior: number): number {
  const clamped = Math.min(Math.max(probability, 1e-12), 1 - 1e-12);
  return 1 / (1 + 2 ** -(logit(clamped) - fromPrior + toPrior));
}
function withPrior(e: Explanation, probability: number, prior: number): Explanation {
  const weight = e.weight - e.priorWeight + prior;
  const head = `probability ${(probability * 100).toFixed(1)}% (match weight ${weight.toFixed(1)}, of which ${prior.toFixed(1)} before comparing: a family's request against everyone registered)`;
  return { ...e, probability, weight, priorWeight: prior, text: [head, ...e.text.split('\n').slice(1)].join('\n') };
}

/** The explanation with its sides swapped, so that "left" is always the registered person the candidate is filed under. */
function swapSides(e: Explanation): Explanation {
  return { ...e, fields: e.fields.map((f) => ({ ...f, left: f.right, right: f.left })) };
}

/** Turns an engine pair into a proposal: two registrations (earlier one first), or a tracing request and a person. */
function proposalOf(a: SubjectRecord, b: SubjectRecord, probability: number, explanation: Explanation): Proposal | null {
  if (a.ref.kind === 'tracing' && b.ref.kind === 'tracing') return null;
  if (a.ref.kind === 'tracing' || b.ref.kind === 'tracing') {
    const [person, tracing, flip] = a.ref.kind === 'person' ? [a.ref, b.ref, false] : [b.ref, a.ref, true];
    return { kind: 'tracing', personId: person.id, otherPersonId: null, tracingRequestId: tracing.id, probability, explanation: flip ? swapSides(explanation) : explanation };
  }
  // The database orders a duplicate pair by id; the explanation follows the same order.
  const flip = a.ref.id > b.ref.id;
  const [first, second] = flip ? [b.ref, a.ref] : [a.ref, b.ref];
  return { kind: 'duplicate', personId: first.id, otherPersonId: second.id, tracingRequestId: null, probability, explanation: flip ? swapSides(explanation) : explanation };
}

/**
 * Runs the matching engine over the whole registry and the open tracing requests
 * together (so that its model is learned from the whole population), and keeps
 * the review queue in step: new pairs are proposed, undecided ones get the new
 * probability and explanation, and undecided pairs the engine no longer finds
 * are withdrawn. Decided pairs are never touched: a rejected pair is never
 * proposed again. Idempotent: a second run with no change in between changes nothing.
 */
export async function sweepCandidates(db: Db): Promise<SweepReport> {
  const subjects = [...(await registryRecords(db)), ...(await tracingRecords(db))];
  const relatives = await recordedRelatives(db);
  const proposals: Proposal[] = [];
  let pairs = 0;
  if (subjects.length >= 2) {
    const result = linkRecords(
      subjects.map((s) => s.record),
      null,
      // Person-level m from a population with known duplicates; u from the registry itself.
      { threshold: ENGINE_FLOOR, fixedM: referenceM() },
    );
    pairs = result.candidates;
    // The engine's prior is that of two registrations drawn at random. A tracing request is
    // a family's claim that its person is held: the prior of a request and one registered
    // person is TRACING_FOUND_SHARE over the registry's size, and the same evidence weighs on it.
    const people = subjects.filter((x) => x.ref.kind === 'person').length;
    const tracingPrior = logit(TRACING_FOUND_SHARE / Math.max(1, people));
    for (let k = 0; k < result.left.length; k++) {
      const a = subjects[result.left[k]!]!;
      const b = subjects[result.right[k]!]!;
      if (!couldBeOnePerson(a, b, relatives)) continue;
      const tracing = a.ref.kind !== b.ref.kind;
      const engine = result.probability[k]!;
      const probability = tracing ? reweigh(engine, result.model.priorWeight, tracingPrior) : engine;
      if (probability < PROPOSAL_THRESHOLD) continue;
      const explanation = result.explain(k);
      const proposal = proposalOf(a, b, probability, tracing ? withPrior(explanation, probability, tracingPrior) : explanation);
      if (proposal) proposals.push(proposal);
    }
  }
  await db.transaction().execute(async (tx) => {
    const sweptAt = new Date();
    for (let i = 0; i < proposals.length; i += 500) await upsert(tx, proposals.slice(i, i + 500), sweptAt);
    // Undecided pairs this run did not find again (not stamped by it) are withdrawn.
    await tx.deleteFrom('match_candidates').where('status', '=', 'proposed').where('updated_at', '<', sweptAt).execute();
    await recordAudit(tx, {
      action: 'matching.swept',
      entityType: 'match_candidates',
      entityId: null,
      actor: { system: 'matching' },
      context: { records: subjects.length, pairs, proposals: proposals.length },
    });
  });
  return { records: subjects.length, pairs, duplicates: proposals.filter((p) => p.kind === 'duplicate').length, tracing: proposals.filter((p) => p.kind === 'tracing').length };
}

async function upsert(tx: Executor, proposals: readonly Proposal[], sweptAt: Date): Promise<void> {
  for (const kind of ['duplicate', 'tracing'] as const) {
    const rows = proposals.filter((p) => p.kind === kind);
    if (rows.length === 0) continue;
    await tx
      .insertInto('match_candidates')
      .values(
        rows.map((p) => ({
          kind,
          person_id: p.personId,
          other_person_id: p.otherPersonId,
          tracing_request_id: p.tracingRequestId,
          probability: p.probability,
          explanation: JSON.stringify(p.explanation),
          updated_at: sweptAt,
        })),
      )
      .onConflict((oc) =>
        (kind === 'duplicate' ? oc.columns(['person_id', 'other_person_id']).where('kind', '=', 'duplicate') : oc.columns(['tracing_request_id', 'person_id']).where('kind', '=', 'tracing'))
          .doUpdateSet((eb) => ({ probability: eb.ref('excluded.probability'), explanation: eb.ref('excluded.explanation'), updated_at: eb.ref('excluded.updated_at') }))
          .where('match_candidates.status', '=', 'proposed'),
      )
      .execute();
  }
}

/**
 * Queues a sweep after a change that can make or unmake a match (a registration,
 * an edit of names or birth date, a tracing request), in the change's transaction.
 * Changes within the same ten seconds share one sweep, run when those seconds are over.
 */
export async function scheduleSweep(tx: Executor, now = Date.now()): Promise<void> {
  const runAt = new Date(Math.ceil((now + 1) / SWEEP_BUCKET_MS) * SWEEP_BUCKET_MS);
  await enqueueJob(tx, 'matching.sweep', {}, { dedupeKey: `matching.sweep:${runAt.toISOString()}`, runAt });
}
