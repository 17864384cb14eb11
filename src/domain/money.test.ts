import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { add, balancesByCurrency, formatMoney, fromNumeric, invoiceTotal, parseMoney, settle, times } from './money.ts';

const usd = (t: string) => parseMoney(t, 'USD');

describe('money, exact', () => {
  test('amounts are read and written as decimal text, in the currency\'s minor units', () => {
    assert.equal(usd('400').minor, 40000n);
    assert.equal(usd('400.5').minor, 40050n);
    assert.equal(formatMoney(usd('0.1')), '0.10');
    assert.equal(formatMoney(parseMoney('1250.125', 'IQD')), '1250.125');
    assert.equal(formatMoney(parseMoney('500', 'JPY')), '500');
    // 0.1 + 0.2 is 0.3, not 0.30000000000000004.
    assert.equal(formatMoney(add(usd('0.1'), usd('0.2'))), '0.30');
    // numeric(14,3) columns keep their scale: 400.000 is USD 400.00; 400.005 is not a USD amount.
    assert.equal(formatMoney(fromNumeric('400.000', 'USD')), '400.00');
    assert.equal(formatMoney(fromNumeric('5', 'JPY')), '5');
    assert.throws(() => fromNumeric('400.005', 'USD'), /more decimals/);
  });

  test('bad amounts are refused with a reason', () => {
    assert.throws(() => usd('12.345'), /2 decimal places/);
    assert.throws(() => usd('-5'), /negative/);
    assert.throws(() => usd('1e3'), /not an amount/);
    assert.throws(() => usd(''), /not an amount/);
    assert.throws(() => parseMoney('5', 'usd'), /ISO 4217/);
    assert.throws(() => add(usd('1'), parseMoney('1', 'EUR')), /per currency/);
    assert.throws(() => times(usd('1'), 1.5), /whole number/);
  });

  test('an invoice per movement: 75 Tajik children × $400 = $30,000', () => {
    const invoice = invoiceTotal([{ description: 'children returned', count: 75, unit: usd('400') }, { description: 'adults returned', count: 0, unit: usd('650') }], 'USD');
    assert.equal(formatMoney(invoice.total), '30000.00');
    assert.equal(formatMoney(invoice.lines[0]!.amount), '30000.00');
  });

  test('payments, partial or whole; the balance and the status follow', () => {
    const total = usd('30000');
    assert.deepEqual(settle(total, []).status, 'issued');
    const partial = settle(total, [usd('12000'), usd('3000.50')]);
    assert.deepEqual([partial.status, formatMoney(partial.paid), formatMoney(partial.balance)], ['partly_paid', '15000.50', '14999.50']);
    assert.equal(settle(total, [usd('30000')]).status, 'paid');
    assert.deepEqual([settle(total, [usd('30000.01')]).status, formatMoney(settle(total, [usd('30000.01')]).balance)], ['overpaid', '-0.01']);
    assert.equal(settle(total, [], true).status, 'cancelled');
  });

  test('a country\'s balance is kept per currency', () => {
    const balances = balancesByCurrency([
      { total: usd('30000'), paid: usd('15000') },
      { total: usd('10800'), paid: usd('0') },
      { total: parseMoney('1000', 'EUR'), paid: parseMoney('1000', 'EUR') },
    ]);
    assert.equal(formatMoney(balances.get('USD')!.balance), '25800.00');
    assert.equal(formatMoney(balances.get('EUR')!.balance), '0.00');
  });
});
