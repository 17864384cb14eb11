/**
 * The matching sweep's pure half: the engine over the registry's records and the
 * open tracing requests, and what the registry already knows, give the pairs to
 * propose for review. No database: it runs in a worker thread (candidateThread.ts)
 * so that the server's event loop keeps answering while the engine works.
 */
import type { Explanation } from '../matching/explain.ts';
import { parseBirthDate } from '../matching/dates.ts';
import { linkRecords } from '../matching/link.ts';
import { referenceM } from '../matching/reference-model.ts';
import type { SubjectRecord } from '../repositories/match-records.ts';

/**
 * Pairs at or above this probability are proposed for review. Lower than the
 * engine's linking threshold (0.5) on purpose: a person decides each pair, and a
 * missed child costs more than a pair rejected in a glance.
 */
export const PROPOSAL_THRESHOLD = 0.2;
/** The engine's own cut, below which a pair is not worth re-weighing. */
const ENGINE_FLOOR = 1e-4;
/**
 * Two births further apart than this, beyond every estimate, are two people: three
 * years, or a fifth of the older one's age when that is more (a child of 14 is not
 * a toddler of 3; an adult estimated at 40 may be one recorded at 33).
 */
const MIN_BIRTH_GAP_DAYS = 3 * 365;
const BIRTH_GAP_SHARE_OF_AGE = 0.2;
const DAY_MS = 86_400_000;
/** How likely a family's tracing request is to name someone in the registry at all. */
const TRACING_FOUND_SHARE = 0.5;

export interface Proposal {
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
 * her child) are two people, and so are a man and a woman, and two people whose
 * births lie further apart than any estimate could stretch (MIN_BIRTH_GAP_DAYS).
 */
function couldBeOnePerson(a: SubjectRecord, b: SubjectRecord, relatives: ReadonlySet<string>, todayDay: number): boolean {
  const [sa, sb] = [a.record.sex, b.record.sex];
  if (sa && sb && sa !== sb) return false;
  const [ba, bb] = [parseBirthDate(a.record.birth_date), parseBirthDate(b.record.birth_date)];
  if (ba && bb) {
    const gap = Math.max(ba.from - bb.to, bb.from - ba.to);
    const olderAge = todayDay - Math.min(ba.from, bb.from);
    if (gap > Math.max(MIN_BIRTH_GAP_DAYS, BIRTH_GAP_SHARE_OF_AGE * olderAge)) return false;
  }
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

export interface Proposals {
  /** Candidate pairs the engine compared. */
  readonly pairs: number;
  readonly proposals: Proposal[];
}

/**
 * Links the subjects with each other and keeps the pairs worth a person's look:
 * not ruled out by what the registry knows (`relatives`: "a:b" with a < b), at or
 * above PROPOSAL_THRESHOLD once a tracing request's own prior is applied.
 */
export function proposeCandidates(subjects: readonly SubjectRecord[], relatives: ReadonlySet<string>, today: Date = new Date()): Proposals {
  const todayDay = Math.floor(today.getTime() / DAY_MS);
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
      if (!couldBeOnePerson(a, b, relatives, todayDay)) continue;
      const tracing = a.ref.kind !== b.ref.kind;
      const engine = result.probability[k]!;
      const probability = tracing ? reweigh(engine, result.model.priorWeight, tracingPrior) : engine;
      if (probability < PROPOSAL_THRESHOLD) continue;
      const explanation = result.explain(k);
      const proposal = proposalOf(a, b, probability, tracing ? withPrior(explanation, probability, tracingPrior) : explanation);
      if (proposal) proposals.push(proposal);
    }
  }
  return { pairs, proposals };
}
