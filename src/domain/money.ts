/**
 * Money, pure and exact: an amount is a whole number of the currency's minor units (cents,
 * dirams, fils) held as a bigint, never a float. Amounts of different currencies are never
 * added: a balance is kept per currency. Decimal text in and out ("400.00", "30000.00"),
 * as PostgreSQL `numeric` gives and takes it.
 */

/** ISO 4217 minor units of the currencies a ministry meets here; any other 3-letter code has 2. */
const MINOR_UNITS: Readonly<Record<string, number>> = {
  USD: 2,
  EUR: 2,
  GBP: 2,
  RUB: 2,
  TJS: 2,
  UZS: 2,
  KZT: 2,
  KGS: 2,
  AZN: 2,
  TRY: 2,
  GEL: 2,
  BYN: 2,
  UAH: 2,
  TTD: 2,
  CHF: 2,
  IQD: 3,
  KWD: 3,
  BHD: 3,
  JOD: 3,
  JPY: 0,
};

export const CURRENCY = /^[A-Z]{3}$/;

export interface Money {
  readonly currency: string;
  /** Whole minor units (for USD, cents). */
  readonly minor: bigint;
}

export function minorUnits(currency: string): number {
  if (!CURRENCY.test(currency)) throw new RangeError(`${currency} is not an ISO 4217 currency code`);
  return MINOR_UNITS[currency] ?? 2;
}

/** Reads "400", "400.5", "400.50" (no more decimals than the currency has; no sign unless allowed). */
export function parseMoney(text: string, currency: string, options: { allowNegative?: boolean } = {}): Money {
  const digits = minorUnits(currency);
  const match = /^(-)?(\d{1,15})(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new RangeError(`${JSON.stringify(text)} is not an amount (digits, and a point before the ${digits === 0 ? 'end' : 'cents'})`);
  const [, sign, whole, fraction = ''] = match;
  if (sign && !options.allowNegative) throw new RangeError('an amount cannot be negative');
  if (fraction.length > digits) throw new RangeError(`${currency} has ${digits} decimal place${digits === 1 ? '' : 's'}, not ${fraction.length}`);
  const minor = BigInt(whole ?? '0') * 10n ** BigInt(digits) + BigInt((fraction || '0').padEnd(digits, '0') || '0');
  return { currency, minor: sign ? -minor : minor };
}

/**
 * Reads a `numeric` column, which keeps the column's scale ("400.000" in a numeric(14,3)):
 * zeros past the currency's minor units are dropped; anything else there is an error.
 */
export function fromNumeric(text: string, currency: string): Money {
  const digits = minorUnits(currency);
  const [whole, fraction = ''] = text.split('.');
  const kept = fraction.slice(0, digits);
  if (/[^0]/.test(fraction.slice(digits))) throw new RangeError(`${text} has more decimals than ${currency} allows`);
  return parseMoney(kept ? `${whole}.${kept}` : (whole ?? '0'), currency, { allowNegative: true });
}

/** "30000.00" for USD 3,000,000 cents: the form `numeric` columns and CSV ledgers take. */
export function formatMoney(m: Money): string {
  const digits = minorUnits(m.currency);
  const negative = m.minor < 0n;
  const abs = negative ? -m.minor : m.minor;
  const scale = 10n ** BigInt(digits);
  const whole = (abs / scale).toString();
  const fraction = digits === 0 ? '' : `.${(abs % scale).toString().padStart(digits, '0')}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

function same(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new RangeError(`cannot add ${a.currency} and ${b.currency}: balances are kept per currency`);
}

export const zero = (currency: string): Money => ({ currency, minor: 0n });
export function add(a: Money, b: Money): Money {
  same(a, b);
  return { currency: a.currency, minor: a.minor + b.minor };
}
export function subtract(a: Money, b: Money): Money {
  same(a, b);
  return { currency: a.currency, minor: a.minor - b.minor };
}
/** A fee times a head count: 75 children × $400 = $30,000. */
export function times(a: Money, count: number): Money {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`a count must be a whole number ≥ 0, not ${count}`);
  return { currency: a.currency, minor: a.minor * BigInt(count) };
}

export interface InvoiceLine {
  readonly description: string;
  readonly count: number;
  readonly unit: Money;
}

/** An invoice's lines, each count × unit fee, and their total, in one currency. */
export function invoiceTotal(lines: readonly InvoiceLine[], currency: string): { readonly lines: readonly (InvoiceLine & { readonly amount: Money })[]; readonly total: Money } {
  const priced = lines.map((l) => {
    same(l.unit, zero(currency));
    return { ...l, amount: times(l.unit, l.count) };
  });
  return { lines: priced, total: priced.reduce((sum, l) => add(sum, l.amount), zero(currency)) };
}

export type InvoiceStatus = 'issued' | 'partly_paid' | 'paid' | 'overpaid' | 'cancelled';

/** What is still owed on an invoice after its payments, and its status. */
export function settle(total: Money, payments: readonly Money[], cancelled = false): { readonly paid: Money; readonly balance: Money; readonly status: InvoiceStatus } {
  const paid = payments.reduce((sum, p) => add(sum, p), zero(total.currency));
  const balance = subtract(total, paid);
  const status: InvoiceStatus = cancelled ? 'cancelled' : paid.minor === 0n ? 'issued' : balance.minor > 0n ? 'partly_paid' : balance.minor === 0n ? 'paid' : 'overpaid';
  return { paid, balance, status };
}

/** Balances per currency over many invoices (a country's ledger): never summed across currencies. */
export function balancesByCurrency(items: readonly { readonly total: Money; readonly paid: Money }[]): Map<string, { total: Money; paid: Money; balance: Money }> {
  const out = new Map<string, { total: Money; paid: Money; balance: Money }>();
  for (const item of items) {
    const current = out.get(item.total.currency) ?? { total: zero(item.total.currency), paid: zero(item.total.currency), balance: zero(item.total.currency) };
    const total = add(current.total, item.total);
    const paid = add(current.paid, item.paid);
    out.set(item.total.currency, { total, paid, balance: subtract(total, paid) });
  }
  return out;
}
