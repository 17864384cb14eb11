/**
 * The generated population, pure: households of detained foreign nationals —
 * mothers with their children (and the father in prison, or dead), men alone,
 * women alone, children alone — with their names in their nationality's script
 * (and the Arabic rendering the host country's file keeps), documents, family
 * links, custody (some transferred from a camp across the border), proceedings
 * within the law, cases at every stage with the consent, clearances, guardians
 * and determinations their stage implies, tracing requests from families at
 * home, and the movements, handovers, invoices and payments of the people who
 * went home. Rows come out a chunk at a time, ready for COPY; the same seed
 * gives the same rows (ids included), run after run.
 */
import type { AuditEntry, SystemActor } from '../audit/trail.ts';
import { registrationRows } from '../commands/personRegistrar.ts';
import { Random } from '../demo/random.ts';
import { addDays, addYears, type BirthDateInput, type IsoDate, toRange } from '../domain/birth-date.ts';
import type { NewPerson } from '../domain/person.ts';
import { releaseDate, type Sentence } from '../domain/sentence.ts';
import { createHash } from 'node:crypto';
import { feminineFamily, givenAsWritten, NATIONALITIES, pickFamilyName, pickGiven, pickNationality } from './names.ts';

export const GENERATOR: SystemActor = { system: 'generate' };

export type Row = Record<string, unknown>;

/** The tables the generator writes, in the order they must be written (references first). */
export const GENERATED_TABLES = [
  'files',
  'persons',
  'person_names',
  'person_nationalities',
  'identity_documents',
  'family_links',
  'custody_episodes',
  'proceedings',
  'cases',
  'case_members',
  'case_transitions',
  'consent_records',
  'consent_children',
  'guardians',
  'best_interests_determinations',
  'best_interests_panel_members',
  'clearances',
  'tracing_requests',
  'movements',
  'movement_escorts',
  'movement_passengers',
  'movement_events',
  'medical_assessments',
  'handovers',
  'invoices',
  'invoice_lines',
  'payments',
] as const;
export type GeneratedTable = (typeof GENERATED_TABLES)[number];

export type Chunk = { [T in GeneratedTable]: Row[] } & { audits: AuditEntry[]; people: number };

export interface Facility {
  readonly id: string;
  readonly country: string;
}

/** What exists before the population: facilities by use, the users who act, the countries' agreements. */
export interface PopulationContext {
  readonly asOf: IsoDate;
  readonly now: Date;
  readonly facilities: {
    readonly camp: readonly Facility[];
    readonly womenPrison: readonly Facility[];
    readonly menPrison: readonly Facility[];
    readonly juvenile: readonly Facility[];
    readonly care: readonly Facility[];
    /** Across the border, where some were held before being transferred. */
    readonly transitCamp: readonly Facility[];
  };
  readonly users: { readonly coordinator: string; readonly childProtection: string; readonly security: string; readonly judiciary: string; readonly custody: string };
  readonly agreements: ReadonlyMap<string, { readonly id: string; readonly currency: string; readonly perChild: number; readonly perAdult: number }>;
}

/** How many cases end in each state, of the households that have one (the rest have none yet). */
const CASE_OUTCOMES: readonly (readonly [CaseOutcome, number])[] = [
  ['identification', 0.17],
  ['nationality_verification', 0.13],
  ['assessment', 0.13],
  ['clearance', 0.1],
  ['approved', 0.07],
  ['scheduled', 0.03],
  ['on_hold', 0.03],
  ['rejected', 0.03],
  ['withdrawn', 0.02],
  ['returned', 0.29],
];
type CaseOutcome = 'identification' | 'nationality_verification' | 'assessment' | 'clearance' | 'approved' | 'scheduled' | 'on_hold' | 'rejected' | 'withdrawn' | 'returned';
const PATH = ['identification', 'nationality_verification', 'assessment', 'clearance', 'approved', 'scheduled', 'departed', 'handed_over', 'closed'] as const;
const TRANSITION_INTO: Readonly<Record<string, string>> = {
  identification: 'open',
  nationality_verification: 'start_verification',
  assessment: 'start_assessment',
  clearance: 'request_clearance',
  approved: 'approve',
  scheduled: 'schedule',
  departed: 'depart',
  handed_over: 'hand_over',
  closed: 'close',
};
const rank = (state: string) => PATH.indexOf(state as (typeof PATH)[number]);

interface Member {
  readonly id: string;
  readonly role: 'principal' | 'mother' | 'father' | 'child';
  readonly child: boolean;
  readonly admittedOn: IsoDate;
  readonly custodyIndex: number;
  readonly nationalityIndex: number;
  readonly input: NewPerson;
}

interface PlannedCase {
  readonly caseId: string;
  readonly country: string;
  readonly members: readonly Member[];
  readonly outcome: CaseOutcome;
  readonly opened: IsoDate;
  readonly latestAdmission: IsoDate;
}

interface Departure {
  readonly movementId: string;
  readonly date: IsoDate;
  readonly status: string;
  readonly handedOver: boolean;
}

interface Household {
  readonly country: string;
  readonly members: Member[];
  readonly alone: boolean;
}

/** A uuid (version 4 layout) from a seeded stream: the same seed, the same ids. */
export function seededUuid(r: Random): string {
  const word = () => Math.floor(r.next() * 0x1_0000_0000).toString(16).padStart(8, '0');
  const hex = word() + word() + word() + word();
  const variant = '89ab'[Number.parseInt(hex[16] as string, 16) & 3];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const at = (day: IsoDate, hour = 9) => new Date(`${day}T${pad(hour)}:00:00Z`);
const daysBetween = (a: IsoDate, b: IsoDate) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
const min = (a: IsoDate, b: IsoDate) => (a < b ? a : b);
const max = (a: IsoDate, b: IsoDate) => (a > b ? a : b);

function emptyChunk(): Chunk {
  const chunk = { audits: [], people: 0 } as unknown as Chunk;
  for (const t of GENERATED_TABLES) chunk[t] = [];
  return chunk;
}

/** Produces the population a chunk at a time; deterministic for its seed. */
export class PopulationGenerator {
  private readonly random: Random;
  private made = 0;
  private caseSeq = 0;
  private movementSeq = 0;
  private invoiceSeq = 0;
  private refSeq = 0;
  /** Whether a movement that has departed but not completed exists yet (one per population). */
  private inFlight = false;

  constructor(
    private readonly ctx: PopulationContext,
    private readonly total: number,
    seed: string,
  ) {
    this.random = new Random(`homeward-generate:${seed}`);
  }

  get counters() {
    return { cases: this.caseSeq, movements: this.movementSeq, invoices: this.invoiceSeq };
  }

  private uuid(): string {
    return seededUuid(this.random);
  }

  /** The next chunk of about `size` people (whole households), or null when all are made. */
  next(size: number): Chunk | null {
    if (this.made >= this.total) return null;
    const chunk = emptyChunk();
    const households: Household[] = [];
    while (chunk.people < size && this.made < this.total) {
      const h = this.household(chunk, this.total - this.made);
      households.push(h);
      chunk.people += h.members.length;
      this.made += h.members.length;
    }
    this.cases(chunk, households);
    this.tracing(chunk, households);
    return chunk;
  }

  // ---- People ---------------------------------------------------------------------------------

  private household(chunk: Chunk, room: number): Household {
    const r = this.random;
    const nationality = pickNationality(r);
    const country = nationality.code;
    const family = pickFamilyName(r, country);
    const roll = r.next();
    const asOf = this.ctx.asOf;
    const admitted = addDays(`${r.int(2017, 2023)}-01-01`, r.int(0, 364));
    const transferredFrom = r.chance(0.15) ? r.pick(this.ctx.facilities.transitCamp) : null;
    const members: Member[] = [];
    if (roll < 0.2 || room === 1) {
      // A man alone, in a men's prison.
      const facility = r.pick(this.ctx.facilities.menPrison);
      members.push(this.person(chunk, { country, family, female: false, born: this.adultBirth(1965, 2003), role: 'principal', facility, admitted, transferredFrom, vulnerable: {} }));
      return { country, members, alone: false };
    }
    if (roll < 0.3) {
      const facility = r.pick(r.chance(0.5) ? this.ctx.facilities.womenPrison : this.ctx.facilities.camp);
      members.push(this.person(chunk, { country, family, female: true, born: this.adultBirth(1970, 2004), role: 'principal', facility, admitted, transferredFrom, vulnerable: {} }));
      return { country, members, alone: false };
    }
    if (roll < 0.4) {
      // Children alone: orphaned or separated siblings in a care centre.
      const facility = r.pick(r.chance(0.7) ? this.ctx.facilities.care : this.ctx.facilities.juvenile);
      const count = Math.min(room, r.int(1, 3));
      const orphan = r.chance(0.6);
      const father = pickGiven(r, false);
      for (let i = 0; i < count; i++) {
        const year = r.int(2008, 2021);
        members.push(
          this.person(chunk, {
            country,
            family,
            female: r.chance(0.5),
            born: this.childBirth(year),
            role: 'child',
            facility,
            admitted: max(admitted, `${year}-12-31`),
            transferredFrom,
            father,
            vulnerable: { unaccompanied: true, orphan, separated: !orphan },
          }),
        );
      }
      this.siblings(chunk, members);
      return { country, members, alone: true };
    }
    // A mother with her children; the father held too, in a men's prison, for a third of them.
    const facility = r.pick(r.chance(0.7) ? this.ctx.facilities.camp : this.ctx.facilities.womenPrison);
    const motherBorn = this.adultBirth(1975, 2003);
    const motherYear = Number(toRange(motherBorn).earliest.slice(0, 4));
    const father = pickGiven(r, false);
    const mother = this.person(chunk, { country, family, female: true, born: motherBorn, role: 'mother', facility, admitted, transferredFrom, husband: family, vulnerable: {} });
    members.push(mother);
    let fatherMember: Member | null = null;
    if (r.chance(0.33) && room > 2) {
      fatherMember = this.person(chunk, { country, family, female: false, born: this.adultBirth(1965, motherYear + 2), role: 'father', facility: r.pick(this.ctx.facilities.menPrison), admitted, transferredFrom, given: father, vulnerable: {} });
      members.push(fatherMember);
    }
    const children = Math.min(room - members.length, 1 + Math.floor(-Math.log(1 - r.next()) * 1.6));
    const firstYear = Math.max(motherYear + 17, 2006);
    for (let i = 0; i < children; i++) {
      const year = Math.min(Number(asOf.slice(0, 4)) - 1, firstYear + Math.floor(r.next() * (2023 - firstYear + 1)));
      const born = this.childBirth(year);
      const bornOn = toRange(born).latest;
      const child = this.person(chunk, {
        country,
        family,
        female: r.chance(0.5),
        born,
        role: 'child',
        facility,
        admitted: min(max(admitted, bornOn), asOf),
        transferredFrom: bornOn < admitted ? transferredFrom : null,
        father,
        mother: mother.input,
        vulnerable: { medicalNeeds: r.chance(0.06) },
      });
      members.push(child);
      this.link(chunk, mother.id, child.id, 'mother', r.chance(0.3) ? 'dna' : r.chance(0.5) ? 'document' : 'testimony');
      if (fatherMember) this.link(chunk, fatherMember.id, child.id, 'father', r.chance(0.4) ? 'dna' : 'testimony');
    }
    this.siblings(chunk, members.filter((m) => m.child));
    return { country, members, alone: false };
  }

  private adultBirth(from: number, to: number): BirthDateInput {
    const year = this.random.int(from, Math.max(from, to));
    return this.birth(year, 0.45);
  }

  private childBirth(year: number): BirthDateInput {
    return this.birth(year, 0.35);
  }

  /** A date of birth as detention records give it: the day for some, the month or only the year for others. */
  private birth(year: number, exactShare: number): BirthDateInput {
    const r = this.random;
    const roll = r.next();
    if (roll < exactShare) return { precision: 'exact', date: `${year}-${pad(r.int(1, 12))}-${pad(r.int(1, 28))}` } as BirthDateInput;
    if (roll < exactShare + 0.15) return { precision: 'month', month: `${year}-${pad(r.int(1, 12))}` } as BirthDateInput;
    return { precision: 'year', year } as BirthDateInput;
  }

  private person(
    chunk: Chunk,
    p: {
      country: string;
      family: string;
      female: boolean;
      born: BirthDateInput;
      role: Member['role'];
      facility: Facility;
      admitted: IsoDate;
      transferredFrom: Facility | null;
      vulnerable: { unaccompanied?: boolean; orphan?: boolean; separated?: boolean; medicalNeeds?: boolean };
      given?: ReturnType<typeof pickGiven>;
      father?: ReturnType<typeof pickGiven>;
      mother?: NewPerson;
      husband?: string;
    },
  ): Member {
    const r = this.random;
    const script = NATIONALITIES.find((n) => n.code === p.country)?.script ?? 'latin';
    const given = p.given ?? pickGiven(r, p.female);
    const father = p.father ?? pickGiven(r, false);
    const familyName = feminineFamily(p.family, p.female);
    const id = this.uuid();
    const range = toRange(p.born);
    const adult = addYears(range.latest, 18) <= this.ctx.asOf;
    const names: NewPerson['names'] = [{ kind: 'primary', givenName: givenAsWritten(given, p.country, script), fatherName: givenAsWritten(father, p.country, script), familyName }];
    // The host country's file in Arabic letters: given and father's name, often no family name.
    if (script !== 'arabic' && r.chance(0.5)) names.push({ kind: 'alias', givenName: given.ar, fatherName: father.ar });
    if (adult && r.chance(0.08)) names.push({ kind: 'kunya', fullName: `${p.female ? 'أم' : 'أبو'} ${pickGiven(r, false).ar}` });
    const vital = !p.vulnerable.unaccompanied && r.chance(0.003) ? 'deceased' : 'alive';
    const input = {
      externalRef: `GEN-${pad(++this.refSeq, 7)}`,
      sex: p.female ? 'female' : 'male',
      birthDate: p.born,
      names,
      nationalities: [{ countryCode: p.country, status: r.chance(0.25) ? 'verified' : 'claimed' }],
      vitalStatus: vital,
      ...(vital === 'deceased' ? { vitalDate: addDays(this.ctx.asOf, -r.int(30, 700)) } : {}),
      vulnerability: {
        unaccompanied: p.vulnerable.unaccompanied ?? false,
        separated: p.vulnerable.separated ?? false,
        orphan: p.vulnerable.orphan ?? false,
        medicalNeeds: p.vulnerable.medicalNeeds ?? r.chance(0.03),
      },
      withheldFromEmbassy: r.chance(0.01),
    } as NewPerson;
    const created = at(min(p.admitted, this.ctx.asOf), 8 + r.int(0, 8));
    const rows = registrationRows(input, id, created);
    chunk.persons.push({ ...rows.person, non_refoulement_concern: r.chance(0.004), created_at: created });
    for (const n of rows.names) chunk.person_names.push({ id: this.uuid(), ...n, created_at: created });
    const nationalityIndex = chunk.person_nationalities.length;
    for (const n of rows.nationalities) chunk.person_nationalities.push(n);
    if (adult && r.chance(0.35)) {
      chunk.identity_documents.push({ id: this.uuid(), person_id: id, kind: 'passport', country_code: p.country, number: `${p.country.slice(0, 1)}${r.int(10_000_000, 99_999_999)}`, issued_on: addDays(`${r.int(2008, 2014)}-01-01`, r.int(0, 360)), expires_on: null, created_at: created });
    } else if (!adult && r.chance(0.25)) {
      chunk.identity_documents.push({ id: this.uuid(), person_id: id, kind: 'birth_certificate', country_code: p.country, number: `BC-${r.int(100_000, 999_999)}`, issued_on: null, expires_on: null, created_at: created });
    }
    // Custody: transferred from across the border for some, then here; released for the dead.
    if (p.transferredFrom && p.admitted > addDays(range.latest, 60)) {
      const before = addDays(p.admitted, -r.int(60, 900));
      chunk.custody_episodes.push({ id: this.uuid(), person_id: id, facility_id: p.transferredFrom.id, admitted_on: max(before, range.latest), released_on: p.admitted, release_reason: 'transferred', created_at: created });
    }
    const admittedOn = max(min(p.admitted, this.ctx.asOf), range.latest > this.ctx.asOf ? this.ctx.asOf : range.earliest);
    const custodyIndex = chunk.custody_episodes.length;
    const died = vital === 'deceased' ? (input as { vitalDate?: string }).vitalDate ?? null : null;
    chunk.custody_episodes.push({
      id: this.uuid(),
      person_id: id,
      facility_id: p.facility.id,
      admitted_on: admittedOn,
      released_on: died && died >= admittedOn ? died : null,
      release_reason: died && died >= admittedOn ? 'deceased' : null,
      created_at: created,
    });
    if (adult) this.proceeding(chunk, id, range.latest, p.role === 'father' || (p.role === 'principal' && !p.female), created);
    chunk.audits.push({ action: 'person.created', entityType: 'person', entityId: id, actor: GENERATOR, after: input });
    return { id, role: p.role, child: !adult, admittedOn, custodyIndex, nationalityIndex, input };
  }

  /** A proceeding as the seeds describe them: anti-terrorism (life, death, terms) or illegal entry, within the law. */
  private proceeding(chunk: Chunk, personId: string, birthLatest: IsoDate, man: boolean, created: Date): void {
    const r = this.random;
    if (!r.chance(man ? 0.9 : 0.45)) return;
    const actDate = addDays(`${r.int(2014, 2018)}-01-01`, r.int(0, 360));
    if (actDate <= addYears(birthLatest, 18)) return;
    const start = addDays(actDate, r.int(200, 700));
    if (start > this.ctx.asOf) return;
    const roll = r.next();
    let charge = 'anti_terrorism_article_4';
    let sentence: Sentence | null;
    if (roll < (man ? 0.45 : 0.25)) sentence = { kind: 'life' };
    else if (roll < (man ? 0.6 : 0.35)) sentence = r.chance(0.4) ? { kind: 'death', commutedTo: { kind: 'life' } } : { kind: 'death' };
    else if (roll < 0.75) sentence = { kind: 'term', years: r.int(10, 20), months: 0, days: 0 };
    else if (roll < 0.9) {
      charge = 'illegal_entry';
      sentence = { kind: 'term', years: r.int(1, 5), months: 0, days: 0 };
    } else sentence = null;
    chunk.proceedings.push({
      id: this.uuid(),
      person_id: personId,
      charge,
      act_date: actDate,
      court: r.pick(['Central Criminal Court', 'Criminal Court of Nineveh', 'Juvenile Court']),
      stage: sentence ? (r.chance(0.8) ? 'final' : 'appeal') : 'trial',
      verdict: sentence ? 'convicted' : 'pending',
      verdict_date: sentence ? start : null,
      sentence: sentence ? JSON.stringify(sentence) : null,
      sentence_start: sentence ? start : null,
      release_date: sentence ? releaseDate(sentence, start) : null,
      created_at: created,
      updated_at: created,
    });
  }

  private link(chunk: Chunk, personId: string, relativeId: string, relation: 'mother' | 'father', verification: string): void {
    const pair = this.uuid();
    const confidence = verification === 'dna' ? 0.99 : verification === 'document' ? 0.9 : 0.7;
    chunk.family_links.push({ id: this.uuid(), person_id: personId, relative_id: relativeId, relation, verification, confidence, pair_id: pair });
    chunk.family_links.push({ id: this.uuid(), person_id: relativeId, relative_id: personId, relation: 'child', verification, confidence, pair_id: pair });
  }

  private siblings(chunk: Chunk, children: readonly Member[]): void {
    for (let i = 0; i < children.length; i++) {
      for (let j = i + 1; j < children.length; j++) {
        const pair = this.uuid();
        const a = children[i] as Member;
        const b = children[j] as Member;
        chunk.family_links.push({ id: this.uuid(), person_id: a.id, relative_id: b.id, relation: 'sibling', verification: 'testimony', confidence: 0.7, pair_id: pair });
        chunk.family_links.push({ id: this.uuid(), person_id: b.id, relative_id: a.id, relation: 'sibling', verification: 'testimony', confidence: 0.7, pair_id: pair });
      }
    }
  }

  // ---- Cases and movements --------------------------------------------------------------------

  private outcome(): CaseOutcome {
    let x = this.random.next();
    for (const [state, share] of CASE_OUTCOMES) if ((x -= share) < 0) return state;
    return 'identification';
  }

  private cases(chunk: Chunk, households: readonly Household[]): void {
    const r = this.random;
    const asOf = this.ctx.asOf;
    const planned: PlannedCase[] = [];
    const returning = new Map<string, PlannedCase[]>();
    const scheduled = new Map<string, PlannedCase[]>();
    const add = (map: Map<string, PlannedCase[]>, c: PlannedCase) => {
      const list = map.get(c.country) ?? [];
      list.push(c);
      map.set(c.country, list);
    };
    for (const h of households) {
      // Households with a living member only; men alone less often (their sentences keep most of them).
      const living = h.members.filter((m) => m.input.vitalStatus === 'alive');
      const manAlone = h.members.length === 1 && h.members[0]?.role === 'principal' && h.members[0].input.sex === 'male';
      if (living.length === 0 || !r.chance(manAlone ? 0.15 : 0.55)) continue;
      // The father stays out of the family's case (he is tried and held apart).
      const members = living.filter((m) => m.role !== 'father');
      if (members.length === 0) continue;
      let outcome = this.outcome();
      if (!this.ctx.agreements.has(h.country) && (outcome === 'returned' || outcome === 'scheduled')) outcome = 'approved';
      const latestAdmission = members.reduce((d, m) => max(d, m.admittedOn), '0000-01-01');
      if ((outcome === 'returned' || outcome === 'scheduled') && daysBetween(latestAdmission, asOf) < 240) outcome = 'assessment';
      const opened = min(addDays(latestAdmission, r.int(60, 400)), addDays(asOf, -r.int(20, 60)));
      const c: PlannedCase = { caseId: this.uuid(), country: h.country, members, outcome, opened, latestAdmission };
      planned.push(c);
      if (outcome === 'returned') add(returning, c);
      if (outcome === 'scheduled') add(scheduled, c);
    }
    const departures = new Map<string, Departure>();
    for (const [country, list] of returning) this.movements(chunk, country, list, 'completed', departures);
    for (const [country, list] of scheduled) this.movements(chunk, country, list, 'planned', departures);
    for (const c of planned) this.caseRows(chunk, c, departures.get(c.caseId) ?? null);
  }

  /** One case: its row, members, the transitions of its path, and the facts its stage implies. */
  private caseRows(chunk: Chunk, c: PlannedCase, movement: Departure | null): void {
    const r = this.random;
    const asOf = this.ctx.asOf;
    const family = c.members.length > 1;
    const opened = movement ? min(c.opened, addDays(movement.date, -r.int(30, 90))) : c.opened;
    let target: string = c.outcome === 'returned' ? (movement?.status === 'departed' ? (movement.handedOver ? 'handed_over' : 'departed') : 'closed') : c.outcome;
    let heldFrom: string | null = null;
    let finalTransition: { name: string; to: string; reason: string } | null = null;
    if (target === 'on_hold') {
      heldFrom = r.pick(['nationality_verification', 'assessment', 'clearance'] as const);
      finalTransition = { name: 'hold', to: 'on_hold', reason: 'awaiting the outcome of an appeal' };
      target = heldFrom;
    } else if (target === 'rejected') {
      target = r.pick(['nationality_verification', 'assessment'] as const);
      finalTransition = { name: 'reject', to: 'rejected', reason: 'the mission found no record of the nationality claimed' };
    } else if (target === 'withdrawn') {
      target = 'identification';
      finalTransition = { name: 'withdraw', to: 'withdrawn', reason: 'the family asked to withdraw' };
    }
    const steps = PATH.slice(0, rank(target) + 1);
    const before = steps.filter((state) => rank(state) <= rank('scheduled'));
    const limit = movement ? addDays(movement.date, -1) : addDays(asOf, -r.int(1, 15));
    const span = Math.max(0, daysBetween(opened, limit));
    const parts = Math.max(1, before.length - (movement ? 0 : 1));
    const transitions = steps.map((state, i) => {
      if (movement && (state === 'departed' || state === 'handed_over')) return { state, day: movement.date };
      if (movement && state === 'closed') return { state, day: min(addDays(movement.date, r.int(3, 20)), asOf) };
      return { state, day: addDays(opened, Math.round((span * i) / parts)) };
    });
    const finalState = finalTransition ? finalTransition.to : target;
    const lastDay = transitions[transitions.length - 1]?.day ?? opened;
    const finalDay = finalTransition ? min(addDays(lastDay, r.int(5, 60)), asOf) : lastDay;
    const reference = `${c.country}-${opened.slice(0, 4)}-${pad(++this.caseSeq, 4)}`;
    const openedAt = at(opened, 10);
    chunk.cases.push({
      id: c.caseId,
      reference,
      country_code: c.country,
      kind: family ? 'family' : 'individual',
      state: finalState,
      held_from: finalState === 'on_hold' ? heldFrom : null,
      title: null,
      opened_by: this.ctx.users.coordinator,
      state_changed_at: at(finalDay, 15),
      created_at: openedAt,
      updated_at: at(finalDay, 15),
    });
    const current = !['closed', 'rejected', 'withdrawn'].includes(finalState);
    for (const m of c.members) {
      const role = family ? (m.role === 'mother' ? 'mother' : m.child ? 'child' : 'member') : 'principal';
      chunk.case_members.push({ case_id: c.caseId, person_id: m.id, role, joined_at: openedAt, left_at: null, left_reason: null, current, transfer_agreed: false });
    }
    chunk.audits.push({ action: 'case.opened', entityType: 'case', entityId: c.caseId, actor: GENERATOR, after: { reference, countryCode: c.country, members: c.members.map((m) => m.id) } });
    let from: string | null = null;
    for (const t of transitions) {
      const system = t.state === 'departed' ? 'movement' : null;
      chunk.case_transitions.push({ case_id: c.caseId, transition: TRANSITION_INTO[t.state], from_state: from, to_state: t.state, reason: null, actor_user_id: system ? null : this.ctx.users.coordinator, actor_system: system, occurred_at: at(t.day, 11) });
      chunk.audits.push({ action: 'case.transitioned', entityType: 'case', entityId: c.caseId, actor: GENERATOR, before: { state: from }, after: { state: t.state, transition: TRANSITION_INTO[t.state] } });
      from = t.state;
    }
    if (finalTransition) {
      chunk.case_transitions.push({ case_id: c.caseId, transition: finalTransition.name, from_state: from, to_state: finalTransition.to, reason: finalTransition.reason, actor_user_id: this.ctx.users.coordinator, actor_system: null, occurred_at: at(finalDay, 11) });
      chunk.audits.push({ action: 'case.transitioned', entityType: 'case', entityId: c.caseId, actor: GENERATOR, before: { state: from }, after: { state: finalTransition.to, transition: finalTransition.name }, reason: finalTransition.reason });
    }
    const reached = (state: string) => transitions.some((t) => t.state === state);
    const dayOf = (state: string) => transitions.find((t) => t.state === state)?.day ?? opened;
    // Nationality confirmed by the mission once the case is past verification.
    if (reached('assessment')) for (const m of c.members) chunk.person_nationalities[m.nationalityIndex] = { ...chunk.person_nationalities[m.nationalityIndex], status: 'verified', source: 'mission', decided_at: at(dayOf('assessment'), 9) };
    const children = c.members.filter((m) => m.child);
    const mother = c.members.find((m) => m.role === 'mother');
    if (reached('assessment') && mother && children.length > 0) {
      const consentId = this.uuid();
      const decided = addDays(dayOf('assessment'), r.int(1, 20));
      chunk.consent_records.push({ id: consentId, given_by: mother.id, kind: 'consent', decided_on: min(decided, asOf), language: 'ar', witness_user_id: this.ctx.users.childProtection, witness_name: null, file_sha256: null, note: null, voided_at: null, voided_reason: null, recorded_by: this.ctx.users.childProtection, created_at: at(min(decided, asOf), 12) });
      for (const child of children) chunk.consent_children.push({ consent_id: consentId, child_id: child.id });
    }
    if (!mother && children.length > 0 && reached('assessment')) {
      for (const child of children) {
        chunk.guardians.push({ id: this.uuid(), child_id: child.id, full_name: `${givenAsWritten(pickGiven(r, true), c.country, 'latin')} (grandmother)`, relation: 'grandparent', verification: 'verified', verified_by: `Embassy of ${c.country}`, contact: null, address: null, country_code: c.country, superseded_at: null, recorded_by: this.ctx.users.childProtection, created_at: at(dayOf('assessment'), 13) });
        const determination = this.uuid();
        chunk.best_interests_determinations.push({ id: determination, child_id: child.id, status: 'final', outcome: 'return', decided_on: dayOf('assessment'), recommendation: 'return to the care of the grandmother', reasoning: null, dissent: null, review_on: null, superseded_at: null, recorded_by: this.ctx.users.childProtection, created_at: at(dayOf('assessment'), 14) });
        for (let position = 1; position <= 3; position++) {
          chunk.best_interests_panel_members.push({ determination_id: determination, position, name: `Panel member ${position}`, role: ['child protection officer', 'social worker', 'legal adviser'][position - 1], undertaking_signed_on: dayOf('assessment') });
        }
      }
    }
    if (reached('approved')) {
      const decided = dayOf('clearance');
      for (const m of c.members) {
        for (const agency of ['coordinator', 'judiciary', 'custody', 'security'] as const) {
          chunk.clearances.push({ id: this.uuid(), case_id: c.caseId, person_id: m.id, agency, decision: 'approve', decided_on: decided, valid_until: addDays(decided, 540), conditions: [], reasons: null, decided_by: this.ctx.users.security, created_at: at(decided, 16) });
        }
      }
    }
    if (movement) {
      const assessed = addDays(movement.date, -r.int(3, 20));
      for (const m of c.members) chunk.medical_assessments.push({ id: this.uuid(), person_id: m.id, assessed_on: assessed, fit: true, notes: null, assessed_by: 'Camp clinic', recorded_by: this.ctx.users.childProtection, created_at: at(assessed, 10) });
    }
    if (movement && movement.status !== 'planned') {
      // Home: the custody episode closes on the departure day.
      for (const m of c.members) {
        const episode = chunk.custody_episodes[m.custodyIndex] as Row;
        chunk.custody_episodes[m.custodyIndex] = { ...episode, released_on: max(movement.date, episode.admitted_on as string), release_reason: 'repatriated' };
      }
    }
  }

  /** Flights home for the cases of one country: up to 150 people each. */
  private movements(chunk: Chunk, country: string, list: readonly PlannedCase[], status: 'completed' | 'planned', departures: Map<string, Departure>): void {
    const r = this.random;
    const asOf = this.ctx.asOf;
    let i = 0;
    while (i < list.length) {
      const group: PlannedCase[] = [];
      let seats = 0;
      while (i < list.length && (group.length === 0 || seats + (list[i] as PlannedCase).members.length <= 150)) {
        const next = list[i] as PlannedCase;
        seats += next.members.length;
        group.push(next);
        i++;
      }
      const latest = group.reduce((d, g) => max(d, g.latestAdmission), '0000-01-01');
      let movementStatus: string = status;
      let date: IsoDate;
      if (status === 'planned') date = addDays(asOf, r.int(20, 120));
      else {
        date = min(addDays(latest, r.int(240, 900)), addDays(asOf, -r.int(30, 400)));
        if (date < addDays(latest, 200)) date = addDays(asOf, -r.int(25, 35));
        if (!this.inFlight && date > addDays(asOf, -45)) {
          movementStatus = 'departed';
          this.inFlight = true;
          date = addDays(asOf, -r.int(1, 4));
        }
      }
      const id = this.uuid();
      const reference = `MOV-${date.slice(0, 4)}-${pad(++this.movementSeq, 3)}`;
      const createdAt = at(addDays(date, -r.int(30, 90)) < asOf ? addDays(date, -r.int(30, 90)) : asOf, 9);
      chunk.movements.push({
        id,
        reference,
        kind: 'repatriation',
        mode: 'air',
        country_code: country,
        from_place: 'Baghdad',
        to_place: CAPITALS[country] ?? 'the capital',
        carrier: 'Special charter',
        flight_number: `SC${r.int(100, 999)}`,
        departure_date: date,
        capacity: Math.max(seats, Math.min(200, seats + r.int(0, 40))),
        to_facility_id: null,
        status: movementStatus,
        notes: null,
        created_by: this.ctx.users.coordinator,
        created_at: createdAt,
        updated_at: at(date, 18),
      });
      chunk.audits.push({ action: 'movement.created', entityType: 'movement', entityId: id, actor: GENERATOR, after: { reference, countryCode: country, departureDate: date } });
      const escortIds = [this.uuid(), this.uuid()];
      chunk.movement_escorts.push({ id: escortIds[0], movement_id: id, name: 'Consular officer', role: 'official', organisation: `Embassy of ${country}`, created_at: createdAt });
      chunk.movement_escorts.push({ id: escortIds[1], movement_id: id, name: 'Flight nurse', role: 'medical', organisation: 'Ministry of Health', created_at: createdAt });
      for (const [k, g] of group.entries()) {
        // On a flight still in the air, the first half of its cases are handed over already.
        departures.set(g.caseId, { movementId: id, date, status: movementStatus, handedOver: movementStatus === 'completed' || k < group.length / 2 });
        for (const m of g.members) chunk.movement_passengers.push({ movement_id: id, person_id: m.id, case_id: g.caseId, escort_id: m.child ? escortIds[0] : null, active: true, added_at: createdAt, removed_at: null });
      }
      if (movementStatus === 'planned') continue;
      const events: [string, string, string, IsoDate][] = [
        ['lock', 'planned', 'manifest_locked', addDays(date, -2)],
        ['depart', 'manifest_locked', 'departed', date],
      ];
      if (movementStatus === 'completed') events.push(['complete', 'departed', 'completed', addDays(date, 1)]);
      for (const [name, fromStatus, to, day] of events) {
        chunk.movement_events.push({ movement_id: id, transition: name, from_status: fromStatus, to_status: to, reason: null, checks: null, actor_user_id: this.ctx.users.coordinator, occurred_at: at(day, 12) });
        chunk.audits.push({ action: 'movement.transitioned', entityType: 'movement', entityId: id, actor: GENERATOR, before: { status: fromStatus }, after: { status: to, transition: name } });
      }
      const members = group.flatMap((g) => g.members);
      const handedOver = group.filter((g) => departures.get(g.caseId)?.handedOver).flatMap((g) => g.members);
      const receipt = handedOver.length > 0 ? this.receipt(chunk, reference, date) : null;
      for (const m of handedOver) {
        chunk.handovers.push({ id: this.uuid(), movement_id: id, person_id: m.id, received_by: 'Duty officer, Ministry of Interior', receiving_authority: `Border service of ${country}`, received_at: at(date, 17), receipt_sha256: receipt, recorded_by: this.ctx.users.coordinator, created_at: at(date, 18) });
      }
      if (movementStatus === 'completed') this.invoice(chunk, id, country, members, date);
    }
  }

  /** The signed receipt of a flight's handover: a small PDF of its own (fictional). */
  private receipt(chunk: Chunk, reference: string, date: IsoDate): string {
    const body = `%PDF-1.4\n% Homeward generated handover receipt ${reference} ${date}\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
    const data = Buffer.from(body, 'latin1');
    const sha256 = sha256Hex(data);
    chunk.files.push({ sha256, content_type: 'application/pdf', size_bytes: data.length, data });
    return sha256;
  }

  private invoice(chunk: Chunk, movementId: string, country: string, members: readonly Member[], date: IsoDate): void {
    const agreement = this.ctx.agreements.get(country);
    if (!agreement) return;
    const r = this.random;
    const children = members.filter((m) => m.child).length;
    const adults = members.length - children;
    const id = this.uuid();
    const issued = min(addDays(date, 7), this.ctx.asOf);
    const total = children * agreement.perChild + adults * agreement.perAdult;
    const number = `INV-${issued.slice(0, 4)}-${pad(++this.invoiceSeq, 4)}`;
    chunk.invoices.push({ id, number, movement_id: movementId, country_code: country, agreement_id: agreement.id, currency: agreement.currency, issued_on: issued, due_on: addDays(issued, 60), total: total.toFixed(3), cancelled_at: null, cancel_reason: null, created_by: this.ctx.users.coordinator, created_at: at(issued, 10) });
    chunk.invoice_lines.push({ invoice_id: id, position: 1, description: 'Return of a child', count: children, unit_amount: agreement.perChild.toFixed(3), amount: (children * agreement.perChild).toFixed(3) });
    chunk.invoice_lines.push({ invoice_id: id, position: 2, description: 'Return of an adult', count: adults, unit_amount: agreement.perAdult.toFixed(3), amount: (adults * agreement.perAdult).toFixed(3) });
    chunk.audits.push({ action: 'invoice.issued', entityType: 'invoice', entityId: id, actor: GENERATOR, after: { number, movementId, total: total.toFixed(2), currency: agreement.currency } });
    const roll = r.next();
    const paid = roll < 0.6 ? total : roll < 0.85 ? Math.round(total * r.int(20, 80)) / 100 : 0;
    if (paid > 0) {
      const received = min(addDays(issued, r.int(10, 90)), this.ctx.asOf);
      chunk.payments.push({ id: this.uuid(), invoice_id: id, received_on: received, amount: paid.toFixed(3), reference: `TRF-${r.int(100_000, 999_999)}`, note: null, recorded_by: this.ctx.users.coordinator, created_at: at(received, 11) });
      chunk.audits.push({ action: 'invoice.payment_recorded', entityType: 'invoice', entityId: id, actor: GENERATOR, after: { amount: paid.toFixed(2), currency: agreement.currency, receivedOn: received } });
    }
  }

  // ---- Tracing --------------------------------------------------------------------------------

  /** Families at home look for children: some are found among the registered, some are not here. */
  private tracing(chunk: Chunk, households: readonly Household[]): void {
    const r = this.random;
    for (const h of households) {
      for (const m of h.members) {
        if (!m.child || !r.chance(0.04)) continue;
        const name = m.input.names[0];
        const found = r.chance(0.3);
        const range = toRange(m.input.birthDate);
        const created = at(min(addDays(m.admittedOn, r.int(30, 700)), this.ctx.asOf), 10);
        const id = this.uuid();
        chunk.tracing_requests.push({
          id,
          country_code: h.country,
          status: found ? 'found' : 'open',
          sought_names: [[name?.givenName, name?.familyName].filter(Boolean).join(' ') || 'Unknown'],
          sought_sex: m.input.sex,
          sought_birth_earliest: addYears(range.earliest, -1),
          sought_birth_latest: addYears(range.latest, 1),
          sought_birth_text: `about ${range.earliest.slice(0, 4)}`,
          mother_name: null,
          father_name: name?.fatherName ?? null,
          last_known_place: r.pick(['Mosul', 'Raqqa', 'Tal Afar', 'Al-Hol', 'Deir ez-Zor']),
          notes: null,
          enquirer_name: 'Grandmother of the child',
          enquirer_relationship: 'grandmother',
          enquirer_contact: null,
          found_person_id: found ? m.id : null,
          filed_by: this.ctx.users.coordinator,
          agency_id: null,
          created_at: created,
          updated_at: created,
        });
      }
    }
  }
}

const CAPITALS: Readonly<Record<string, string>> = {
  TUR: 'Ankara', RUS: 'Moscow', AZE: 'Baku', UZB: 'Tashkent', TJK: 'Dushanbe', KAZ: 'Astana', KGZ: 'Bishkek', TUN: 'Tunis', MAR: 'Rabat',
  EGY: 'Cairo', SAU: 'Riyadh', JOR: 'Amman', DEU: 'Berlin', FRA: 'Paris', GEO: 'Tbilisi', UKR: 'Kyiv', BLR: 'Minsk', FIN: 'Helsinki', TTO: 'Port of Spain',
};

function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
