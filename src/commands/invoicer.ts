import { sql } from 'kysely';
import { recordAudit } from '../audit/trail.ts';
import { anyOf } from '../db/bulk.ts';
import type { Db, Executor } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import { couldBeUnder, type IsoDate } from '../domain/birth-date.ts';
import { DomainError, invalid, notFound } from '../domain/errors.ts';
import { formatMoney, fromNumeric, invoiceTotal, type Money, parseMoney, settle, subtract } from '../domain/money.ts';
import { agreementInForce } from '../repositories/agreements.ts';
import { movementVisibleTo } from '../repositories/movements.ts';

/**
 * Issues the invoice of a departed repatriation from the country's agreement in force on the
 * departure date: children (anyone who could be under 18 that day) × the fee per child, adults ×
 * the fee per adult, in the agreement's currency. One invoice per movement.
 */
export async function issueInvoice(db: Db, actor: Actor, movementId: string, input: { issuedOn: IsoDate; dueOn: IsoDate }): Promise<string> {
  if (input.dueOn < input.issuedOn) throw invalid('body.dueOn', 'is before the issue date');
  return db.transaction().execute(async (tx) => {
    const m = await tx.selectFrom('movements as m').selectAll('m').where('m.id', '=', movementId).where(movementVisibleTo(actor)).forUpdate().executeTakeFirst();
    if (!m) throw notFound('movement');
    if (m.kind !== 'repatriation' || !m.country_code) throw new DomainError('conflict', 'not_invoiced', 'only a repatriation is invoiced to a country');
    if (m.status !== 'departed' && m.status !== 'completed') throw new DomainError('conflict', 'not_departed', 'a movement is invoiced once it has departed: the fee is for the people who went');
    if (await tx.selectFrom('invoices').select('id').where('movement_id', '=', movementId).executeTakeFirst()) throw new DomainError('conflict', 'already_invoiced', 'this movement already has its invoice');
    const agreement = await agreementInForce(tx, m.country_code, m.departure_date);
    if (!agreement) throw new DomainError('rule', 'no_agreement', `no agreement with ${m.country_code} was in force on ${m.departure_date}: record it first (Countries)`);
    const passengers = await tx
      .selectFrom('movement_passengers as mp')
      .innerJoin('persons as p', 'p.id', 'mp.person_id')
      .select(['p.birth_earliest', 'p.birth_latest'])
      .where('mp.movement_id', '=', movementId)
      .where('mp.active', '=', true)
      .execute();
    const children = passengers.filter((p) => couldBeUnder({ earliest: p.birth_earliest, latest: p.birth_latest }, 18, m.departure_date)).length;
    const adults = passengers.length - children;
    const currency = agreement.currency;
    const lines = [
      { description: `children returned on ${m.reference}`, count: children, unit: fromNumeric(agreement.feePerChild, currency) },
      { description: `adults returned on ${m.reference}`, count: adults, unit: fromNumeric(agreement.feePerAdult, currency) },
    ].filter((l) => l.count > 0);
    const priced = invoiceTotal(lines, currency);
    const seq = await sql<{ n: string }>`select nextval('invoice_number_seq')::text as n`.execute(tx);
    const number = `INV-${input.issuedOn.slice(0, 4)}-${String(seq.rows[0]?.n ?? '0').padStart(4, '0')}`;
    const row = await tx
      .insertInto('invoices')
      .values({ number, movement_id: movementId, country_code: m.country_code, agreement_id: agreement.id, currency, issued_on: input.issuedOn, due_on: input.dueOn, total: formatMoney(priced.total), created_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (priced.lines.length > 0) {
      await tx
        .insertInto('invoice_lines')
        .values(priced.lines.map((l, i) => ({ invoice_id: row.id, position: i + 1, description: l.description, count: l.count, unit_amount: formatMoney(l.unit), amount: formatMoney(l.amount) })))
        .execute();
    }
    await recordAudit(tx, { action: 'invoice.issued', entityType: 'invoice', entityId: row.id, actor, after: { number, movementId, total: formatMoney(priced.total), currency } });
    return row.id;
  });
}

/** Invoices the caller may see (an embassy: its own country's), with their movement's reference. */
function selectVisibleInvoices(db: Executor, actor: Actor) {
  return db.selectFrom('invoices as i').innerJoin('movements as m', 'm.id', 'i.movement_id').selectAll('i').select(['m.reference as movement_reference', 'm.departure_date']).where(movementVisibleTo(actor));
}
type InvoiceRow = Awaited<ReturnType<ReturnType<typeof selectVisibleInvoices>['executeTakeFirstOrThrow']>>;

/** Groups rows by their invoice, keeping their order. */
function byInvoice<T extends { invoice_id: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const r of rows) groups.set(r.invoice_id, [...(groups.get(r.invoice_id) ?? []), r]);
  return groups;
}

/** Invoices with their lines, payments, what is paid and what is owed: the lines and the payments of all of them in one query each. */
async function withLinesAndPayments(db: Executor, invoices: readonly InvoiceRow[]) {
  if (invoices.length === 0) return [];
  const ids = anyOf(invoices.map((i) => i.id), 'uuid');
  const [lines, payments] = await Promise.all([
    db.selectFrom('invoice_lines').selectAll().where('invoice_id', '=', ids).orderBy('invoice_id').orderBy('position').execute(),
    db.selectFrom('payments').selectAll().where('invoice_id', '=', ids).orderBy('received_on').orderBy('created_at').orderBy('id').execute(),
  ]);
  const linesOf = byInvoice(lines);
  const paymentsOf = byInvoice(payments);
  return invoices.map((invoice) => {
    const own = paymentsOf.get(invoice.id) ?? [];
    const total = fromNumeric(invoice.total, invoice.currency);
    const settled = settle(
      total,
      own.map((p) => fromNumeric(p.amount, invoice.currency)),
      invoice.cancelled_at !== null,
    );
    return { invoice, lines: linesOf.get(invoice.id) ?? [], payments: own, total, ...settled };
  });
}
export type LoadedInvoice = Awaited<ReturnType<typeof withLinesAndPayments>>[number];

/** An invoice with its lines, payments, what is paid and what is owed; null if the caller may not see it. */
export async function loadInvoice(db: Executor, actor: Actor, id: string): Promise<LoadedInvoice | null> {
  const invoice = await selectVisibleInvoices(db, actor).where('i.id', '=', id).executeTakeFirst();
  return invoice ? ((await withLinesAndPayments(db, [invoice]))[0] ?? null) : null;
}

/** Several invoices by id, loaded whole in three queries, in the order of `ids` (those the caller may not see left out). */
export async function loadInvoices(db: Executor, actor: Actor, ids: readonly string[]): Promise<LoadedInvoice[]> {
  if (ids.length === 0) return [];
  const rows = await selectVisibleInvoices(db, actor).where('i.id', '=', anyOf(ids, 'uuid')).execute();
  const found = new Map(rows.map((r) => [r.id, r]));
  return withLinesAndPayments(
    db,
    ids.flatMap((id) => found.get(id) ?? []),
  );
}

const money = (m: Money) => formatMoney(m);

/** The JSON of an invoice. */
export function presentInvoice(loaded: LoadedInvoice) {
  const { invoice, lines, payments } = loaded;
  return {
    id: invoice.id,
    number: invoice.number,
    movementId: invoice.movement_id,
    movementReference: invoice.movement_reference,
    countryCode: invoice.country_code,
    currency: invoice.currency,
    issuedOn: invoice.issued_on,
    dueOn: invoice.due_on,
    lines: lines.map((l) => ({ position: l.position, description: l.description, count: l.count, unitAmount: formatMoney(fromNumeric(l.unit_amount, invoice.currency)), amount: formatMoney(fromNumeric(l.amount, invoice.currency)) })),
    total: money(loaded.total),
    paid: money(loaded.paid),
    balance: money(loaded.balance),
    status: loaded.status,
    payments: payments.map((p) => ({ id: p.id, receivedOn: p.received_on, amount: formatMoney(fromNumeric(p.amount, invoice.currency)), reference: p.reference })),
    version: invoice.version,
  };
}

/** A payment received, partial or whole; more than the balance is refused (a refund is not a payment). */
export async function recordPayment(db: Db, actor: Actor, invoiceId: string, input: { receivedOn: IsoDate; amount: string; reference?: string | undefined; note?: string | undefined }, asOf: IsoDate): Promise<string> {
  if (input.receivedOn > asOf) throw invalid('body.receivedOn', 'is in the future');
  return db.transaction().execute(async (tx) => {
    const locked = await tx.selectFrom('invoices').select(['id', 'currency', 'issued_on', 'cancelled_at']).where('id', '=', invoiceId).forUpdate().executeTakeFirst();
    const loaded = locked ? await loadInvoice(tx, actor, invoiceId) : null;
    if (!locked || !loaded) throw notFound('invoice');
    if (locked.cancelled_at) throw new DomainError('conflict', 'invoice_cancelled', 'the invoice was cancelled');
    let amount: Money;
    try {
      amount = parseMoney(input.amount, locked.currency);
    } catch (error) {
      throw invalid('body.amount', error instanceof Error ? error.message : 'is not an amount');
    }
    if (amount.minor <= 0n) throw invalid('body.amount', 'must be more than zero');
    if (subtract(loaded.balance, amount).minor < 0n) {
      throw new DomainError('rule', 'overpayment', `${formatMoney(amount)} ${locked.currency} is more than the ${formatMoney(loaded.balance)} still owed`, [
        { path: 'body.amount', message: `is more than the ${formatMoney(loaded.balance)} ${locked.currency} still owed`, code: 'overpayment', params: { value: formatMoney(loaded.balance) } },
      ]);
    }
    if (input.receivedOn < locked.issued_on) throw invalid('body.receivedOn', 'is before the invoice was issued');
    const row = await tx
      .insertInto('payments')
      .values({ invoice_id: invoiceId, received_on: input.receivedOn, amount: formatMoney(amount), reference: input.reference ?? null, note: input.note ?? null, recorded_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx.updateTable('invoices').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', invoiceId).execute();
    await recordAudit(tx, { action: 'invoice.payment_recorded', entityType: 'invoice', entityId: invoiceId, actor, after: { amount: formatMoney(amount), currency: locked.currency, receivedOn: input.receivedOn } });
    return row.id;
  });
}

/** Every invoice the caller may see (an embassy: its own country's), oldest first, loaded whole: the ledger and its exports. */
export async function loadVisibleInvoices(db: Executor, actor: Actor, countryCode: string | undefined, limit?: number): Promise<LoadedInvoice[]> {
  let q = selectVisibleInvoices(db, actor);
  if (countryCode) q = q.where('i.country_code', '=', countryCode);
  const rows = await (limit === undefined ? q : q.limit(limit)).orderBy('i.issued_on').orderBy('i.id').execute();
  return withLinesAndPayments(db, rows);
}
