import { recordAudit } from '../audit/trail.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { invalid, notFound } from '../domain/errors.ts';
import { countryScope } from './diplomacyScope.ts';
import { countryOrInvalid } from './notificationSender.ts';
import { staleVersion } from './staleness.ts';

export interface ActionItemInput {
  readonly description: string;
  readonly owner: string;
  readonly dueOn?: IsoDate | null | undefined;
}

export interface MeetingInput {
  readonly heldOn: IsoDate;
  readonly place?: string | undefined;
  readonly participants: readonly string[];
  readonly minutes?: string | undefined;
  readonly decisions: readonly string[];
  readonly actionItems: readonly ActionItemInput[];
}

export interface MeetingChange {
  readonly heldOn?: IsoDate | undefined;
  readonly place?: string | null | undefined;
  readonly participants?: readonly string[] | undefined;
  readonly minutes?: string | null | undefined;
  readonly decisions?: readonly string[] | undefined;
}

export interface ActionItemChange {
  readonly description?: string | undefined;
  readonly owner?: string | undefined;
  readonly dueOn?: IsoDate | null | undefined;
  readonly doneOn?: IsoDate | null | undefined;
}

/** Meetings the caller may see: the coordinator all, an embassy its own country's. */
export function selectMeetings(db: Executor, actor: Actor) {
  let query = db.selectFrom('country_meetings as m').selectAll('m');
  const scope = countryScope(actor);
  if (!scope.all) query = query.where('m.country_code', '=', scope.code ?? '');
  return query;
}

/** Action items of meetings the caller may see. */
export function selectActionItems(db: Executor, actor: Actor) {
  let query = db.selectFrom('meeting_action_items as ai').innerJoin('country_meetings as m', 'm.id', 'ai.meeting_id').selectAll('ai').select(['m.country_code', 'm.held_on as meeting_held_on']);
  const scope = countryScope(actor);
  if (!scope.all) query = query.where('m.country_code', '=', scope.code ?? '');
  return query;
}

/** Records a meeting with a country's delegation, with its action items. */
export async function recordMeeting(tx: Tx, actor: Actor, countryCode: string, input: MeetingInput): Promise<string> {
  await countryOrInvalid(tx, countryCode);
  const meeting = await tx
    .insertInto('country_meetings')
    .values({
      country_code: countryCode,
      held_on: input.heldOn,
      place: input.place ?? null,
      participants: [...input.participants],
      minutes: input.minutes ?? null,
      decisions: [...input.decisions],
      created_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const items = input.actionItems.length
    ? await tx
        .insertInto('meeting_action_items')
        .values(input.actionItems.map((a) => ({ meeting_id: meeting.id, description: a.description, owner: a.owner, due_on: a.dueOn ?? null })))
        .returning('id')
        .execute()
    : [];
  await recordAudit(tx, [
    { action: 'meeting.created', entityType: 'meeting', entityId: meeting.id, actor, after: { countryCode, ...input, actionItems: input.actionItems.length } },
    ...items.map((item, i) => ({ action: 'action_item.created', entityType: 'action_item', entityId: item.id, actor, after: { meetingId: meeting.id, ...input.actionItems[i] } })),
  ]);
  return meeting.id;
}

export async function updateMeeting(tx: Tx, actor: Actor, id: string, change: MeetingChange, expected: number): Promise<void> {
  const current = await selectMeetings(tx, actor).where('m.id', '=', id).forUpdate().executeTakeFirst();
  if (!current) throw notFound('meeting');
  if (current.version !== expected) throw await staleVersion(tx, 'meeting', id, expected, current.version);
  await tx
    .updateTable('country_meetings')
    .set({
      ...(change.heldOn !== undefined ? { held_on: change.heldOn } : {}),
      ...(change.place !== undefined ? { place: change.place } : {}),
      ...(change.participants !== undefined ? { participants: [...change.participants] } : {}),
      ...(change.minutes !== undefined ? { minutes: change.minutes } : {}),
      ...(change.decisions !== undefined ? { decisions: [...change.decisions] } : {}),
      version: current.version + 1,
    })
    .where('id', '=', id)
    .execute();
  await recordAudit(tx, { action: 'meeting.updated', entityType: 'meeting', entityId: id, actor, before: { ...current, created_at: undefined }, after: change });
}

export async function addActionItem(tx: Tx, actor: Actor, meetingId: string, input: ActionItemInput): Promise<string> {
  const meeting = await selectMeetings(tx, actor).where('m.id', '=', meetingId).executeTakeFirst();
  if (!meeting) throw notFound('meeting');
  const item = await tx
    .insertInto('meeting_action_items')
    .values({ meeting_id: meetingId, description: input.description, owner: input.owner, due_on: input.dueOn ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(tx, { action: 'action_item.created', entityType: 'action_item', entityId: item.id, actor, after: { meetingId, ...input } });
  return item.id;
}

/** Changes an action item, or marks it done (doneOn) or open again (doneOn: null). */
export async function updateActionItem(tx: Tx, actor: Actor, id: string, change: ActionItemChange, expected: number, today: IsoDate): Promise<void> {
  const current = await selectActionItems(tx, actor).where('ai.id', '=', id).forUpdate().executeTakeFirst();
  if (!current) throw notFound('action item');
  if (current.version !== expected) throw await staleVersion(tx, 'action_item', id, expected, current.version);
  if (change.doneOn && change.doneOn > today) throw invalid('body.doneOn', 'is in the future');
  if (change.doneOn && change.doneOn < String(current.meeting_held_on)) throw invalid('body.doneOn', `is before the meeting (${String(current.meeting_held_on)})`);
  await tx
    .updateTable('meeting_action_items')
    .set({
      ...(change.description !== undefined ? { description: change.description } : {}),
      ...(change.owner !== undefined ? { owner: change.owner } : {}),
      ...(change.dueOn !== undefined ? { due_on: change.dueOn } : {}),
      ...(change.doneOn !== undefined ? { done_on: change.doneOn } : {}),
      version: current.version + 1,
    })
    .where('id', '=', id)
    .execute();
  await recordAudit(tx, { action: 'action_item.updated', entityType: 'action_item', entityId: id, actor, before: { description: current.description, owner: current.owner, dueOn: current.due_on, doneOn: current.done_on }, after: change });
}
