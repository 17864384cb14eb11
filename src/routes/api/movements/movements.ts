import { z } from 'zod';
import { recordAudit } from '../../../audit/trail.ts';
import { issueInvoice, loadInvoice, loadInvoices, loadVisibleInvoices, presentInvoice, recordPayment } from '../../../commands/invoicer.ts';
import {
  addEscort,
  addToManifest,
  assignEscort,
  cancelMovement,
  checkManifest,
  completeMovement,
  departMovement,
  lockManifest,
  planMovement,
  recordFitness,
  recordHandover,
  removeEscort,
  removeFromManifest,
  unlockManifest,
  updateMovement,
} from '../../../commands/movementPlanner.ts';
import type { Db } from '../../../db/database.ts';
import type { Actor } from '../../../domain/actor.ts';
import { couldBeUnder, type IsoDate } from '../../../domain/birth-date.ts';
import { forbidden, notFound } from '../../../domain/errors.ts';
import { balancesByCurrency, formatMoney } from '../../../domain/money.ts';
import { MOVEMENT_TRANSITIONS, manifestChecks } from '../../../domain/movements.ts';
import { handsOverFor, movementPolicy } from '../../../policies/movement.ts';
import { can } from '../../../policies/policy.ts';
import { findVisibleMovement, loadMovementFacts, manifestRows, movementVisibleTo } from '../../../repositories/movements.ts';
import { today } from '../../../registry/as-of.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { decodeCursor, listSchema, page } from '../../../server/pagination.ts';
import { IdParams, withErrors } from '../schemas.ts';
import { IfMatchHeaders, OptionalIfMatchHeaders, expectedVersion, optionalVersion } from '../versioning.ts';
import {
  AssignEscortBody,
  EscortBody,
  EscortParams,
  FitnessBody,
  HandoverBody,
  InvoiceBody,
  InvoiceListQuery,
  InvoiceSchema,
  LedgerQuery,
  ManifestAddBody,
  ManifestRemoveBody,
  MovementChangesBody,
  MovementListQuery,
  MovementSchema,
  NewMovementBody,
  PassengerParams,
  PaymentBody,
  ReasonBody,
} from './schema.ts';

const tags = ['movements'];

/** A movement's page: manifest, escorts, checks as they stand for the departure date, handovers and their receipts, the manifest as sent, history, what the caller may do. */
export async function loadMovement(db: Db, actor: Actor, asOf: IsoDate, id: string) {
  const m = await findVisibleMovement(db, actor, id);
  if (!m) throw notFound('movement');
  const [passengers, escorts, events, handovers, invoice] = await Promise.all([
    manifestRows(db, id),
    db.selectFrom('movement_escorts').select(['id', 'name', 'role', 'organisation']).where('movement_id', '=', id).orderBy('created_at').execute(),
    db
      .selectFrom('movement_events as e')
      .leftJoin('users as u', 'u.id', 'e.actor_user_id')
      .select(['e.transition', 'e.from_status', 'e.to_status', 'e.reason', 'e.manifest_sha256', 'e.occurred_at', 'u.display_name'])
      .where('e.movement_id', '=', id)
      .orderBy('e.id')
      .execute(),
    db
      .selectFrom('handovers as h')
      .leftJoin('files as f', 'f.sha256', 'h.receipt_sha256')
      .select(['h.id', 'h.person_id', 'h.received_by', 'h.receiving_authority', 'h.received_at', 'h.receipt_sha256', 'f.content_type', 'f.size_bytes'])
      .where('h.movement_id', '=', id)
      .execute(),
    db.selectFrom('invoices').select(['id', 'number']).where('movement_id', '=', id).executeTakeFirst(),
  ]);
  const checks = m.status === 'planned' ? manifestChecks(await loadMovementFacts(db, m, passengers)) : null;
  const handedOver = new Map(handovers.map((h) => [h.person_id, h]));
  const children = passengers.filter((p) => couldBeUnder({ earliest: p.birth_earliest, latest: p.birth_latest }, 18, m.departure_date)).length;
  const planner = actor.role === 'coordinator';
  const signedFor = passengers.every((p) => handedOver.get(p.person_id)?.receipt_sha256);
  const allowed = (name: string) => (name === 'lock' ? (checks?.ok ?? false) : name === 'complete' ? signedFor : true);
  const transitions = MOVEMENT_TRANSITIONS.filter((t) => t.from === m.status && planner).map((t) => ({ name: t.name, to: t.to, needsReason: t.needsReason, allowed: allowed(t.name) }));
  const handsOver = m.status === 'departed' && handsOverFor(actor, m.country_code);
  return {
    movement: m,
    body: {
      id: m.id,
      reference: m.reference,
      kind: m.kind,
      mode: m.mode,
      countryCode: m.country_code,
      fromPlace: m.from_place,
      toPlace: m.to_place,
      carrier: m.carrier,
      flightNumber: m.flight_number,
      departureDate: m.departure_date,
      capacity: m.capacity,
      toFacilityId: m.to_facility_id,
      status: m.status,
      notes: m.notes,
      version: m.version,
      seats: { passengers: passengers.length, escorts: escorts.length, capacity: m.capacity, children, adults: passengers.length - children },
      passengers: passengers.map((p) => ({
        personId: p.person_id,
        displayName: p.display_name,
        latinName: p.latin_name ?? p.display_name,
        sex: p.sex,
        birthDate: p.birth_text ?? (p.birth_precision === 'exact' ? p.birth_earliest : p.birth_earliest.slice(0, 4)),
        child: couldBeUnder({ earliest: p.birth_earliest, latest: p.birth_latest }, 18, m.departure_date),
        caseId: p.case_id,
        caseReference: p.case_reference,
        caseState: p.case_state,
        escortId: p.escort_id,
        handover: presentHandover(handedOver.get(p.person_id)),
      })),
      escorts,
      checks,
      manifestSent: m.sent_manifest_sha256 && m.sent_manifest_at ? { sha256: m.sent_manifest_sha256, storedAt: m.sent_manifest_at.toISOString() } : null,
      history: events.map((e) => ({ transition: e.transition, from: e.from_status, to: e.to_status, reason: e.reason, at: e.occurred_at.toISOString(), by: e.display_name, ...(e.manifest_sha256 ? { manifestSha256: e.manifest_sha256 } : {}) })),
      invoice: invoice ? { id: invoice.id, number: invoice.number } : null,
      allowedActions: {
        transitions,
        editManifest: planner && m.status === 'planned',
        handOver: handsOver,
        attachReceipt: handsOver,
        invoice: planner && (m.status === 'departed' || m.status === 'completed') && m.kind === 'repatriation' && !invoice,
      },
    },
  };
}

/** A recorded handover and whether its signed receipt is attached (its SHA-256, type and size). */
function presentHandover(h: { received_by: string; receiving_authority: string | null; received_at: Date; receipt_sha256: string | null; content_type: string | null; size_bytes: number | null } | undefined) {
  if (!h) return null;
  return {
    receivedBy: h.received_by,
    receivingAuthority: h.receiving_authority,
    receivedAt: h.received_at.toISOString(),
    receipt: h.receipt_sha256 ? { sha256: h.receipt_sha256, contentType: h.content_type, sizeBytes: h.size_bytes } : null,
  };
}

/** Movements, their manifests and checks, departure, handover, invoices and payments. */
export const movementRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;
  const one = async (actor: Actor, id: string) => (await loadMovement(db, actor, today(), id)).body;
  const plan = { access: can(movementPolicy, 'plan') };

  app.get(
    '/api/v1/movements',
    { config: { access: can(movementPolicy, 'list') }, schema: { tags, summary: 'Movements the caller may see, soonest first', querystring: MovementListQuery, response: withErrors({ 200: listSchema(z.any()) }) } },
    async (request) => {
      const actor = actorOf(request);
      const { limit, cursor, status, countryCode, kind } = request.query;
      let q = db
        .selectFrom('movements as m')
        .selectAll('m')
        .select((eb) => eb.selectFrom('movement_passengers as mp').select(eb.fn.countAll<number>().as('n')).whereRef('mp.movement_id', '=', 'm.id').where('mp.active', '=', true).as('passengers'))
        .where(movementVisibleTo(actor));
      if (status) q = q.where('m.status', '=', status);
      if (countryCode) q = q.where('m.country_code', '=', countryCode);
      if (kind) q = q.where('m.kind', '=', kind);
      const after = decodeCursor(cursor, z.tuple([z.string(), z.uuid()]));
      if (after) q = q.where((eb) => eb.or([eb('m.departure_date', '<', after[0]), eb.and([eb('m.departure_date', '=', after[0]), eb('m.id', '<', after[1])])]));
      const rows = await q.orderBy('m.departure_date', 'desc').orderBy('m.id', 'desc').limit(limit + 1).execute();
      const result = page(rows, limit, (r) => [r.departure_date, r.id]);
      return {
        data: result.data.map((m) => ({ id: m.id, reference: m.reference, kind: m.kind, mode: m.mode, countryCode: m.country_code, fromPlace: m.from_place, toPlace: m.to_place, departureDate: m.departure_date, status: m.status, capacity: m.capacity, passengers: Number(m.passengers ?? 0), flightNumber: m.flight_number, carrier: m.carrier })),
        nextCursor: result.nextCursor,
      };
    },
  );

  app.post('/api/v1/movements', { config: plan, schema: { tags, summary: 'Plan a movement: a repatriation to a country, or a transfer between holding authorities', body: NewMovementBody, response: withErrors({ 201: MovementSchema }) } }, async (request, reply) => {
    const actor = actorOf(request);
    const id = await planMovement(db, actor, request.body);
    return reply.status(201).send(await one(actor, id));
  });

  app.get('/api/v1/movements/:id', { config: { access: can(movementPolicy, 'read') }, schema: { tags, summary: 'A movement: manifest, escorts, the checks as they stand, handovers, history', params: IdParams, response: withErrors({ 200: MovementSchema }) } }, async (request, reply) => {
    const { movement, body } = await loadMovement(db, actorOf(request), today(), request.params.id);
    reply.header('etag', `"${movement.version}"`);
    return body;
  });

  app.patch('/api/v1/movements/:id', { config: plan, schema: { tags, summary: 'Change a planned movement (If-Match)', params: IdParams, headers: IfMatchHeaders, body: MovementChangesBody, response: withErrors({ 200: MovementSchema }) } }, async (request) => {
    const actor = actorOf(request);
    await updateMovement(db, actor, request.params.id, expectedVersion(request.headers['if-match']), request.body);
    return one(actor, request.params.id);
  });

  app.post('/api/v1/movements/:id/escorts', { config: plan, schema: { tags, summary: 'Add an escort (official, medical staff…)', params: IdParams, body: EscortBody, response: withErrors({ 200: MovementSchema }) } }, async (request) => {
    const actor = actorOf(request);
    await addEscort(db, actor, request.params.id, request.body);
    return one(actor, request.params.id);
  });
  app.delete('/api/v1/movements/:id/escorts/:escortId', { config: plan, schema: { tags, summary: 'Remove an escort', params: EscortParams, response: withErrors({ 200: MovementSchema }) } }, async (request) => {
    const actor = actorOf(request);
    await removeEscort(db, actor, request.params.id, request.params.escortId);
    return one(actor, request.params.id);
  });

  app.post('/api/v1/movements/:id/passengers', { config: plan, schema: { tags, summary: 'Put an approved case on the manifest (the case becomes scheduled), or people on a transfer', params: IdParams, body: ManifestAddBody, response: withErrors({ 200: MovementSchema }) } }, async (request) => {
    const actor = actorOf(request);
    await addToManifest(db, actor, today(), request.params.id, request.body);
    return one(actor, request.params.id);
  });
  app.post('/api/v1/movements/:id/passengers/remove', { config: plan, schema: { tags, summary: 'Take a case (or a person on a transfer) off the manifest, with a reason; the case goes back to approved', params: IdParams, body: ManifestRemoveBody, response: withErrors({ 200: MovementSchema }) } }, async (request) => {
    const actor = actorOf(request);
    const { reason, ...which } = request.body;
    await removeFromManifest(db, actor, today(), request.params.id, which, reason);
    return one(actor, request.params.id);
  });
  app.put('/api/v1/movements/:id/passengers/:personId/escort', { config: plan, schema: { tags, summary: 'Assign an escort to a passenger (null: none)', params: PassengerParams, body: AssignEscortBody, response: withErrors({ 200: MovementSchema }) } }, async (request) => {
    const actor = actorOf(request);
    await assignEscort(db, actor, request.params.id, request.params.personId, request.body.escortId);
    return one(actor, request.params.id);
  });

  app.get('/api/v1/movements/:id/checks', { config: { access: can(movementPolicy, 'read') }, schema: { tags, summary: 'The pre-departure checks of the manifest, for its departure date', params: IdParams, response: withErrors({ 200: z.any() }) } }, async (request) =>
    checkManifest(db, actorOf(request), request.params.id),
  );
  app.post('/api/v1/movements/:id/lock', { config: plan, schema: { tags, summary: 'Lock the manifest: only when every check passes (422 names each passenger and failed check); the manifest is kept as sent to the home country', params: IdParams, headers: OptionalIfMatchHeaders, response: withErrors({ 200: MovementSchema }) } }, async (request) => {
    const actor = actorOf(request);
    await lockManifest(db, actor, today(), request.params.id, optionalVersion(request.headers['if-match']));
    return one(actor, request.params.id);
  });
  app.post('/api/v1/movements/:id/unlock', { config: plan, schema: { tags, summary: 'Unlock the manifest: a recorded decision with a reason', params: IdParams, body: ReasonBody, response: withErrors({ 200: MovementSchema }) } }, async (request) => {
    const actor = actorOf(request);
    await unlockManifest(db, actor, request.params.id, request.body.reason);
    return one(actor, request.params.id);
  });
  app.post('/api/v1/movements/:id/depart', { config: { access: can(movementPolicy, 'depart') }, schema: { tags, summary: 'The movement departed: its cases move to departed and custody episodes close, in one transaction', params: IdParams, response: withErrors({ 200: MovementSchema }) } }, async (request) => {
    const actor = actorOf(request);
    await departMovement(db, actor, today(), request.params.id);
    return one(actor, request.params.id);
  });
  app.post('/api/v1/movements/:id/handovers', { config: { access: can(movementPolicy, 'handOver') }, schema: { tags, summary: 'Record who received a person for the home country, and when', params: IdParams, body: HandoverBody, response: withErrors({ 200: MovementSchema }) } }, async (request) => {
    const actor = actorOf(request);
    const m = await findVisibleMovement(db, actor, request.params.id);
    if (!m) throw notFound('movement');
    if (!handsOverFor(actor, m.country_code)) throw forbidden('only the coordinator or the embassy of the home country records a handover');
    await recordHandover(db, actor, today(), request.params.id, request.body);
    return one(actor, request.params.id);
  });
  app.post('/api/v1/movements/:id/complete', { config: plan, schema: { tags, summary: 'Complete a departed movement once everyone is handed over with a signed receipt (422 names each person missing one)', params: IdParams, response: withErrors({ 200: MovementSchema }) } }, async (request) => {
    const actor = actorOf(request);
    await completeMovement(db, actor, today(), request.params.id);
    return one(actor, request.params.id);
  });
  app.post('/api/v1/movements/:id/cancel', { config: plan, schema: { tags, summary: 'Cancel a movement before it leaves, with a reason; its cases go back to approved', params: IdParams, body: ReasonBody, response: withErrors({ 200: MovementSchema }) } }, async (request) => {
    const actor = actorOf(request);
    await cancelMovement(db, actor, today(), request.params.id, request.body.reason);
    return one(actor, request.params.id);
  });

  app.post('/api/v1/persons/:id/fitness', { config: { access: can(movementPolicy, 'fitness') }, schema: { tags, summary: 'Record a medical assessment of fitness to travel', params: IdParams, body: FitnessBody, response: withErrors({ 201: z.object({ id: z.uuid() }) }) } }, async (request, reply) =>
    reply.status(201).send({ id: await recordFitness(db, actorOf(request), today(), request.params.id, request.body) }),
  );

  // ---- invoices -------------------------------------------------------------------------
  app.post('/api/v1/movements/:id/invoice', { config: { access: can(movementPolicy, 'invoice') }, schema: { tags, summary: "Issue the movement's invoice from the country's agreement (head counts × fees)", params: IdParams, body: InvoiceBody, response: withErrors({ 201: InvoiceSchema }) } }, async (request, reply) => {
    const actor = actorOf(request);
    const id = await issueInvoice(db, actor, request.params.id, request.body);
    const loaded = await loadInvoice(db, actor, id);
    if (!loaded) throw notFound('invoice');
    return reply.status(201).send(presentInvoice(loaded));
  });
  app.get('/api/v1/invoices', { config: { access: can(movementPolicy, 'invoices') }, schema: { tags, summary: 'Invoices, newest first (an embassy: its own country)', querystring: InvoiceListQuery, response: withErrors({ 200: listSchema(InvoiceSchema) }) } }, async (request) => {
    const actor = actorOf(request);
    const { limit, cursor, countryCode } = request.query;
    let q = db.selectFrom('invoices as i').innerJoin('movements as m', 'm.id', 'i.movement_id').select(['i.id', 'i.issued_on']).where(movementVisibleTo(actor));
    if (countryCode) q = q.where('i.country_code', '=', countryCode);
    const after = decodeCursor(cursor, z.tuple([z.string(), z.uuid()]));
    if (after) q = q.where((eb) => eb.or([eb('i.issued_on', '<', after[0]), eb.and([eb('i.issued_on', '=', after[0]), eb('i.id', '<', after[1])])]));
    const rows = await q.orderBy('i.issued_on', 'desc').orderBy('i.id', 'desc').limit(limit + 1).execute();
    const result = page(rows, limit, (r) => [r.issued_on, r.id]);
    const data = (await loadInvoices(db, actor, result.data.map((r) => r.id))).map(presentInvoice);
    return { data, nextCursor: result.nextCursor };
  });
  app.get('/api/v1/invoices/:id', { config: { access: can(movementPolicy, 'invoices') }, schema: { tags, summary: 'An invoice: lines, payments, paid, balance', params: IdParams, response: withErrors({ 200: InvoiceSchema }) } }, async (request) => {
    const loaded = await loadInvoice(db, actorOf(request), request.params.id);
    if (!loaded) throw notFound('invoice');
    return presentInvoice(loaded);
  });
  app.post('/api/v1/invoices/:id/payments', { config: { access: can(movementPolicy, 'invoice') }, schema: { tags, summary: 'Record a payment received, partial or whole', params: IdParams, body: PaymentBody, response: withErrors({ 201: InvoiceSchema }) } }, async (request, reply) => {
    const actor = actorOf(request);
    await recordPayment(db, actor, request.params.id, request.body, today());
    const loaded = await loadInvoice(db, actor, request.params.id);
    if (!loaded) throw notFound('invoice');
    return reply.status(201).send(presentInvoice(loaded));
  });
  app.get('/api/v1/ledger', { config: { access: can(movementPolicy, 'invoices') }, schema: { tags, summary: 'The fee ledger: every invoice with paid and balance, and the balance per country and currency (JSON or CSV; audited as an export)', querystring: LedgerQuery, response: withErrors({ 200: z.any() }) } }, async (request, reply) => {
    const actor = actorOf(request);
    const { countryCode, format } = request.query;
    const invoices = await loadVisibleInvoices(db, actor, countryCode);
    const byCountry = new Map<string, typeof invoices>();
    for (const inv of invoices) byCountry.set(inv.invoice.country_code, [...(byCountry.get(inv.invoice.country_code) ?? []), inv]);
    const balances = [...byCountry].flatMap(([country, list]) =>
      [...balancesByCurrency(list.filter((i) => i.status !== 'cancelled').map((i) => ({ total: i.total, paid: i.paid })))].map(([currency, b]) => ({ countryCode: country, currency, total: formatMoney(b.total), paid: formatMoney(b.paid), balance: formatMoney(b.balance) })),
    );
    await db.transaction().execute((tx) => recordAudit(tx, { action: 'ledger.exported', entityType: 'invoice', entityId: null, actor, context: { format, countryCode: countryCode ?? null, invoices: invoices.length } }));
    if (format === 'csv') {
      const header = 'invoice,country,movement,issued_on,due_on,currency,total,paid,balance,status';
      const lines = invoices.map((i) => {
        const p = presentInvoice(i);
        return [p.number, p.countryCode, p.movementReference, p.issuedOn, p.dueOn, p.currency, p.total, p.paid, p.balance, p.status].join(',');
      });
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="homeward-ledger.csv"');
      return `${[header, ...lines].join('\r\n')}\r\n`;
    }
    return { invoices: invoices.map(presentInvoice), balances };
  });
};
