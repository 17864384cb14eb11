import { randomUUID } from 'node:crypto';
import { recordAudit } from '../audit/trail.ts';
import type { Db } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { DomainError, type ErrorDetail, invalid, notFound } from '../domain/errors.ts';
import { findVisiblePerson } from '../repositories/persons.ts';
import { noteSealingKey, sealRow } from '../repositories/sealed-fields.ts';
import { refreshEligibilityOf } from './caseEligibility.ts';
import { findChangeableChild, refuseFuture } from './factRecording.ts';

/** A panel decides: at least three members, each bound by a confidentiality undertaking signed before the decision. */
export const MIN_PANEL = 3;
export const MAX_PANEL = 20;

export interface NewAssessment {
  readonly kind: 'short' | 'comprehensive';
  readonly assessedOn: IsoDate;
  readonly summary: string;
  readonly recommendation?: string | undefined;
}

export interface NewDetermination {
  readonly outcome: 'return' | 'not_return';
  readonly decidedOn: IsoDate;
  readonly recommendation: string;
  readonly reasoning: string;
  readonly dissent?: string | undefined;
  readonly reviewOn?: IsoDate | undefined;
  readonly panel: readonly { readonly name: string; readonly role?: string | undefined; readonly undertakingSignedOn: IsoDate }[];
}

/*
 * Best-interests content (summaries, recommendations, reasoning, dissent, the panel) is child
 * protection's alone: the audit trail records what was decided and when, never the text.
 */

/** A best-interests assessment (short or comprehensive) of a child, by child protection. */
export async function recordAssessment(db: Db, actor: Actor, asOf: IsoDate, childId: string, input: NewAssessment): Promise<string> {
  refuseFuture('body.assessedOn', input.assessedOn, asOf);
  return db.transaction().execute(async (tx) => {
    await findChangeableChild(tx, actor, asOf, childId);
    // The content is sealed at rest, bound to the row's id (decision 0024).
    const row = await tx
      .insertInto('best_interests_assessments')
      .values(sealRow('best_interests_assessments', { id: randomUUID(), child_id: childId, kind: input.kind, assessed_on: input.assessedOn, summary: input.summary, recommendation: input.recommendation ?? null, recorded_by: actor.userId }))
      .returning('id')
      .executeTakeFirstOrThrow();
    await noteSealingKey(tx);
    await recordAudit(tx, { action: 'best_interests.assessment_recorded', entityType: 'person', entityId: childId, actor, after: { assessmentId: row.id, kind: input.kind, assessedOn: input.assessedOn } });
    await refreshEligibilityOf(tx, [childId], asOf);
    return row.id;
  });
}

/**
 * A panel's determination (final), superseding the one on record. Refused unless at least
 * three members sat and each signed a confidentiality undertaking on or before the decision.
 */
export async function recordDetermination(db: Db, actor: Actor, asOf: IsoDate, childId: string, input: NewDetermination): Promise<string> {
  refuseFuture('body.decidedOn', input.decidedOn, asOf);
  if (input.reviewOn && input.reviewOn < input.decidedOn) throw invalid('body.reviewOn', `is before the decision (${input.decidedOn})`);
  if (input.panel.length < MIN_PANEL) throw invalid('body.panel', `a panel has at least ${MIN_PANEL} members`);
  const late: ErrorDetail[] = input.panel.flatMap((m, i) =>
    m.undertakingSignedOn > input.decidedOn
      ? [{ path: `body.panel.${i}.undertakingSignedOn`, message: `is after the decision (${input.decidedOn}): every member signs the confidentiality undertaking before sitting`, code: 'undertaking_after_decision', params: { date: input.decidedOn } }]
      : [],
  );
  const first = late[0];
  if (first) throw new DomainError('invalid', 'invalid_input', `${first.path}: ${first.message}`, late);
  return db.transaction().execute(async (tx) => {
    await findChangeableChild(tx, actor, asOf, childId);
    await tx.selectFrom('persons').select('id').where('id', '=', childId).forUpdate().execute();
    const previous = await tx.selectFrom('best_interests_determinations').select(['id', 'outcome', 'status']).where('child_id', '=', childId).where('superseded_at', 'is', null).executeTakeFirst();
    if (previous) await tx.updateTable('best_interests_determinations').set((eb) => ({ superseded_at: new Date(), version: eb('version', '+', 1) })).where('id', '=', previous.id).execute();
    const row = await tx
      .insertInto('best_interests_determinations')
      .values(sealRow('best_interests_determinations', {
        id: randomUUID(),
        child_id: childId,
        status: 'final',
        outcome: input.outcome,
        decided_on: input.decidedOn,
        recommendation: input.recommendation,
        reasoning: input.reasoning,
        dissent: input.dissent ?? null,
        review_on: input.reviewOn ?? null,
        recorded_by: actor.userId,
      }))
      .returning('id')
      .executeTakeFirstOrThrow();
    await noteSealingKey(tx);
    await tx
      .insertInto('best_interests_panel_members')
      .values(input.panel.map((m, i) => ({ determination_id: row.id, position: i + 1, name: m.name, role: m.role ?? null, undertaking_signed_on: m.undertakingSignedOn })))
      .execute();
    await recordAudit(tx, {
      action: 'best_interests.determination_recorded',
      entityType: 'person',
      entityId: childId,
      actor,
      after: { determinationId: row.id, outcome: input.outcome, decidedOn: input.decidedOn, reviewOn: input.reviewOn ?? null, panelSize: input.panel.length, dissent: input.dissent !== undefined, supersedes: previous?.id ?? null },
    });
    await refreshEligibilityOf(tx, [childId], asOf);
    return row.id;
  });
}

/** Which status each step leads to, and from where it may be taken. */
const STEPS = {
  review: { to: 'under_review', from: ['final'] },
  reopen: { to: 'reopened', from: ['final', 'under_review'] },
} as const;

/**
 * Puts the current determination under review, or reopens it: it stops counting for
 * eligibility until a new determination is recorded (which supersedes it). The reason is kept
 * in the audit trail.
 */
export async function changeDeterminationStatus(db: Db, actor: Actor, asOf: IsoDate, id: string, step: keyof typeof STEPS, reason: string): Promise<void> {
  const { to, from } = STEPS[step];
  await db.transaction().execute(async (tx) => {
    const d = await tx.selectFrom('best_interests_determinations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!d || !(await findVisiblePerson(tx, actor, asOf, d.child_id))) throw notFound('determination');
    if (d.superseded_at) throw new DomainError('conflict', 'determination_superseded', 'a newer determination has been recorded for this child: review that one');
    if (!(from as readonly string[]).includes(d.status)) {
      throw new DomainError('conflict', `determination_${d.status}`, `the determination is ${d.status.replace('_', ' ')}: it cannot be ${step === 'review' ? 'put under review' : 'reopened'} now`);
    }
    await tx.updateTable('best_interests_determinations').set({ status: to, version: d.version + 1 }).where('id', '=', id).execute();
    await recordAudit(tx, { action: `best_interests.determination_${step === 'review' ? 'reviewed' : 'reopened'}`, entityType: 'person', entityId: d.child_id, actor, before: { determinationId: id, status: d.status }, after: { status: to }, reason });
    await refreshEligibilityOf(tx, [d.child_id], asOf);
  });
}
