import { createHash } from 'node:crypto';
import { recordAudit, type SystemActor } from '../audit/trail.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { DomainError, invalid, notFound } from '../domain/errors.ts';
import { nationalsToNotify } from '../repositories/nationals.ts';
import { renderNationalsList } from '../reports/nationals-list.ts';
import { staleVersion } from './staleness.ts';

export interface NotificationInput {
  readonly sentOn: IsoDate;
  readonly channel?: string | undefined;
  readonly note?: string | undefined;
}

/** The country by its code, or a 400 naming the path parameter. */
export async function countryOrInvalid(db: Executor, countryCode: string) {
  const country = await db.selectFrom('countries').selectAll().where('code', '=', countryCode).executeTakeFirst();
  if (!country) throw invalid('params.code', `${countryCode} is not an ISO 3166 alpha-3 country code`);
  return country;
}

/**
 * Notifies a country of its nationals held: generates the list as a PDF (names as
 * recorded and in Latin, sex, date of birth, facility — never anyone withheld from its
 * embassy), keeps it in `files` by its SHA-256, and records the date sent and the counts.
 * The list shares each person's identity with the mission: audited person by person.
 */
export async function sendNotification(tx: Tx, actor: Actor | SystemActor, countryCode: string, input: NotificationInput, today: IsoDate): Promise<string> {
  if (input.sentOn > today) throw invalid('body.sentOn', 'is in the future');
  const country = await countryOrInvalid(tx, countryCode);
  const people = await nationalsToNotify(tx, countryCode, input.sentOn);
  const pdf = await renderNationalsList({ countryCode, countryName: { en: country.name_en, ar: country.name_ar }, sentOn: input.sentOn, people, note: input.note ?? null });
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  await tx.insertInto('files').values({ sha256, content_type: 'application/pdf', size_bytes: pdf.length, data: pdf }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
  const counts = { people: people.length, children: people.filter((p) => p.child).length };
  const row = await tx
    .insertInto('country_notifications')
    .values({
      country_code: countryCode,
      sent_on: input.sentOn,
      people_count: counts.people,
      children_count: counts.children,
      file_sha256: sha256,
      channel: input.channel ?? null,
      note: input.note ?? null,
      created_by: 'userId' in actor ? actor.userId : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(tx, [
    { action: 'notification.created', entityType: 'country_notification', entityId: row.id, actor, after: { countryCode, sentOn: input.sentOn, ...counts, sha256, channel: input.channel, note: input.note } },
    ...people.map((p) => ({ action: 'person.shared_with_embassy', entityType: 'person', entityId: p.id, actor, context: { countryCode, notificationId: row.id } })),
  ]);
  return row.id;
}

/** A notification the caller may see: the coordinator any, an embassy its own country's (else 404). */
export async function visibleNotification(db: Executor, actor: Actor, id: string) {
  let query = db.selectFrom('country_notifications').selectAll().where('id', '=', id);
  if (actor.role === 'embassy') query = query.where('country_code', '=', actor.countryCode ?? '');
  else if (actor.role !== 'coordinator') throw notFound('notification');
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('notification');
  return row;
}

/** The country's mission (or the coordinator for it) says it received the list, and when. */
export async function acknowledgeNotification(tx: Tx, actor: Actor, id: string, acknowledgedOn: IsoDate, ifMatch: number | null, today: IsoDate): Promise<void> {
  const current = await visibleNotification(tx, actor, id);
  await tx.selectFrom('country_notifications').select('id').where('id', '=', id).forUpdate().execute();
  const locked = await tx.selectFrom('country_notifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  if (ifMatch !== null && locked.version !== ifMatch) throw await staleVersion(tx, 'country_notification', id, ifMatch, locked.version, ['notification.created', 'notification.acknowledged']);
  if (locked.acknowledged_on) throw new DomainError('conflict', 'already_acknowledged', `this notification was acknowledged on ${String(locked.acknowledged_on)}`);
  if (acknowledgedOn > today) throw invalid('body.acknowledgedOn', 'is in the future');
  const sentOn = String(current.sent_on);
  if (acknowledgedOn < sentOn) throw invalid('body.acknowledgedOn', `is before the list was sent (${sentOn})`);
  await tx.updateTable('country_notifications').set({ acknowledged_on: acknowledgedOn, version: locked.version + 1 }).where('id', '=', id).execute();
  await recordAudit(tx, { action: 'notification.acknowledged', entityType: 'country_notification', entityId: id, actor, after: { acknowledgedOn, countryCode: current.country_code } });
}

/** The notification's PDF; reading it is an export of the list shared with the embassy, audited. */
export async function readNotificationPdf(db: Executor, actor: Actor, id: string) {
  const notification = await visibleNotification(db, actor, id);
  if (!notification.file_sha256) throw notFound('notification file');
  const file = await db.selectFrom('files').select(['content_type', 'data', 'sha256']).where('sha256', '=', notification.file_sha256).executeTakeFirst();
  if (!file) throw notFound('notification file');
  return { notification, contentType: file.content_type, data: Buffer.from(file.data), sha256: file.sha256 };
}
