import type { SystemActor } from '../audit/trail.ts';
import { recordAgreement } from '../commands/agreementRecorder.ts';
import { recordMeeting } from '../commands/meetingRecorder.ts';
import { sendNotification } from '../commands/notificationSender.ts';
import type { Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import { addDays, type IsoDate } from '../domain/birth-date.ts';

const SYSTEM: SystemActor = { system: 'demo' };

export interface DiplomacyDemoResult {
  readonly agreements: number;
  readonly notifications: number;
  readonly meetings: number;
}

/**
 * The diplomacy part of the demo, as the seeds tell it: Tajikistan agreed to pay $400 a
 * child and asks for birth certificates; Russia has its own protocol; both were sent the
 * list of their nationals held (Tajikistan acknowledged it); the Tajik delegation met the
 * legal directorate, and one of the two things agreed is overdue. Names are fictional.
 */
export async function loadDiplomacyDemo(tx: Tx, asOf: IsoDate): Promise<DiplomacyDemoResult> {
  const user = await tx.selectFrom('users').select(['id', 'username', 'agency_id']).where('username', '=', 'demo-coordinator').executeTakeFirstOrThrow();
  const coordinator: Actor = {
    userId: user.id,
    username: user.username,
    role: 'coordinator',
    agencyId: user.agency_id,
    countryCode: null,
    via: 'session',
    scopes: ['read', 'write'],
    totpEnrollmentPending: false,
    passwordChangePending: false,
  };

  await recordAgreement(
    tx,
    coordinator,
    'TJK',
    {
      title: 'Memorandum on the return of Tajik children',
      signedOn: addDays(asOf, -120),
      validFrom: addDays(asOf, -120),
      validUntil: null,
      currency: 'USD',
      feePerChild: '400',
      feePerAdult: '0',
      documentsRequired: ['birth_certificate'],
      conditions: 'Tajikistan meets the cost of the flight and pays a fee of USD 400 for each child returned. Each child travels with a birth certificate or a certificate of nationality issued by the embassy.',
      criteria: [{ kind: 'document_required', document: 'birth_certificate', appliesTo: 'children' }],
    },
    asOf,
  );
  await recordAgreement(
    tx,
    coordinator,
    'RUS',
    {
      title: 'Protocol on the repatriation of minors',
      signedOn: addDays(asOf, -400),
      validFrom: addDays(asOf, -400),
      validUntil: addDays(asOf, 330),
      currency: 'USD',
      feePerChild: '0',
      feePerAdult: '0',
      documentsRequired: ['birth_certificate'],
      conditions: 'Children are received by a relative named by the embassy, on special flights arranged by the Russian side.',
      criteria: [{ kind: 'guardian_relative' }],
    },
    asOf,
  );

  const tjk = await sendNotification(tx, SYSTEM, 'TJK', { sentOn: addDays(asOf, -30), channel: 'Note verbale, by hand to the consular section', note: 'Please confirm each child’s nationality before the next meeting.' }, asOf);
  await tx.updateTable('country_notifications').set({ created_by: coordinator.userId, acknowledged_on: addDays(asOf, -26), version: 2 }).where('id', '=', tjk).execute();
  await sendNotification(tx, SYSTEM, 'RUS', { sentOn: addDays(asOf, -7), channel: 'Note verbale' }, asOf);

  await recordMeeting(tx, coordinator, 'TJK', {
    heldOn: addDays(asOf, -21),
    place: 'Ministry of Foreign Affairs, Baghdad',
    participants: ['Legal directorate (chair)', 'Delegation of Tajikistan', 'Ministry of Justice', 'Child-protection agency (observer)'],
    minutes: 'The delegation received the list of Tajik nationals held and asked for the state of nationality verification. The ministry explained the eligibility conditions: guardians, legal assurances and the mothers’ consent.',
    decisions: ['Tajikistan pays USD 400 for each child returned', 'The embassy names a guardian for every child before clearance', 'Next meeting within two months'],
    actionItems: [
      { description: 'Send the answers on the pending nationality verifications', owner: 'Embassy of Tajikistan', dueOn: addDays(asOf, -7) },
      { description: 'Propose dates for the first return flight', owner: 'Legal directorate', dueOn: addDays(asOf, 14) },
    ],
  });
  return { agreements: 2, notifications: 2, meetings: 1 };
}
