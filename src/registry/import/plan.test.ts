import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseBirthDateText } from '../../domain/birth-date.ts';
import { NewPersonSchema } from '../../domain/person.ts';
import { type PersonCandidate, plainPerson } from './plan.ts';

// A row that plainly obeys NewPersonSchema is checked without zod (plainPerson); it must come
// out exactly as zod would make it, and any row it is not sure of goes to zod.

describe('checking rows', () => {
  test('plainPerson gives what NewPersonSchema gives, or leaves the row to it: random rows', () => {
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const maybe = <T>(value: () => T, p = 0.5): T | undefined => (random() < p ? value() : undefined);
    const good = ['a', 'Фатима', 'محمد', 'Müller', 'Ibn Omar', "O'Neil", 'al-Kurdi'];
    const bad = [' ', '<', '>', '\u0001', '\u007f', '\t', '\u00a0', '', 'x'.repeat(60)];
    // Mostly good names, one in ten with something zod must speak about.
    const text = () => {
      let out = pick(good);
      if (random() < 0.1) out = random() < 0.5 ? `${pick(bad)}${out}` : `${out}${pick(bad)}${random() < 0.3 ? 'x'.repeat(60) : ''}`;
      return out;
    };
    const births = ['1990', 'about 2015', '2015-03', '2015-03-04', '20150304', '1990-01-01..1991-06-30', '~1985'].map((t) => parseBirthDateText(t));
    let plain = 0;
    const total = 30_000;
    for (let i = 0; i < total; i++) {
      const names: PersonCandidate['names'][number][] = [
        {
          kind: pick(['primary', 'primary', 'primary', 'primary', 'primary', 'alias', 'birth', 'bogus']),
          givenName: maybe(text, 0.8),
          fatherName: maybe(text, 0.3),
          grandfatherName: maybe(text, 0.1),
          familyName: maybe(text, 0.7),
          fullName: maybe(text, 0.2),
        },
      ];
      if (random() < 0.3) names.push({ kind: pick(['alias', 'kunya', 'primary']), fullName: text() });
      const candidate: PersonCandidate = {
        externalRef: pick(['B-1', 'B-1', 'B-1', ' B-2', 'B-3 ', '', 'R'.repeat(100), 'R'.repeat(101), 'Ф-7']),
        sex: pick(['female', 'male', 'unknown', 'female', 'male', 'Female', '', 'x']),
        birthDate: pick(births) ?? { precision: 'year', year: 1990 },
        names,
        nationalities: random() < 0.1 ? Array.from({ length: 6 }, () => ({ countryCode: 'TJK', status: 'claimed' })) : random() < 0.7 ? [{ countryCode: pick(['TJK', 'RUS', 'TJK', 'RUS', 'tjk', 'TJ', 'TJKX']), status: pick(['claimed', 'claimed', 'verified', 'rejected']) }] : [],
        vitalStatus: pick(['alive', 'alive', 'alive', 'alive', 'deceased', 'executed', 'dead']),
        ...(random() < 0.1 ? { vitalDate: pick(['2020-01-01', '2020-02-30']) } : {}),
        vulnerability: { unaccompanied: pick([true, false]), separated: pick([true, false]), orphan: pick([true, false, undefined]), medicalNeeds: pick([true, false]) },
        ...(random() < 0.6
          ? { custody: { facilityId: pick(['4f0b5c8e-2d7a-4c1e-9a53-0d8c3b1f2a11', '4f0b5c8e-2d7a-4c1e-9a53-0d8c3b1f2a11', '00000000-0000-0000-0000-000000000001', 'not-a-uuid']), admittedOn: pick(['2020-01-15', '2020-01-15', '2020-02-30', '2020-1-1']) } }
          : {}),
      };
      const fast = plainPerson(candidate);
      const zod = NewPersonSchema.safeParse(candidate);
      if (fast === null) continue;
      plain++;
      assert.ok(zod.success, `plainPerson accepted a row zod refuses: ${JSON.stringify(candidate)}`);
      assert.deepStrictEqual(fast, zod.data);
      assert.equal(JSON.stringify(fast), JSON.stringify(zod.data), 'the same keys in the same order');
    }
    // Not vacuous: a good share of the random rows are plain, and most of the rest not.
    assert.ok(plain > total / 40 && plain < total / 2, `${plain} of ${total} rows plain`);
  });

  test('the rows of an ordinary file are plain', () => {
    const row: PersonCandidate = {
      externalRef: 'MOJ-2026-000123',
      sex: 'female',
      birthDate: parseBirthDateText('about 2015') as PersonCandidate['birthDate'],
      names: [{ kind: 'primary', givenName: 'محمد', fatherName: 'أحمد', grandfatherName: undefined, familyName: undefined, fullName: undefined }, { kind: 'alias', fullName: 'Мухаммад Алиев' }],
      nationalities: [{ countryCode: 'RUS', status: 'claimed' }],
      vitalStatus: 'alive',
      vulnerability: { unaccompanied: false, separated: true, orphan: false, medicalNeeds: false },
      custody: { facilityId: '4f0b5c8e-2d7a-4c1e-9a53-0d8c3b1f2a11', admittedOn: '2019-06-01' },
    };
    const fast = plainPerson(row);
    assert.ok(fast);
    assert.deepStrictEqual(fast, NewPersonSchema.parse(row));
    // A row zod must speak about is left to it: a date of death, a control character, an unknown sex.
    assert.equal(plainPerson({ ...row, vitalStatus: 'deceased', vitalDate: '2020-01-01' }), null);
    assert.equal(plainPerson({ ...row, names: [{ kind: 'primary', givenName: 'A\u0007' }] }), null);
    assert.equal(plainPerson({ ...row, sex: 'f' }), null);
  });
});
