import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { base32Decode, base32Encode, generateTotpSecret, matchTotp, otpauthUrl, totpCode, totpStep } from './totp.ts';

// RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890', 'ascii'));

describe('TOTP (RFC 6238, SHA-1, 6 digits, 30 s)', () => {
  test('the secret of the RFC encodes as its well-known base32 form', () => {
    assert.equal(RFC_SECRET, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });

  // The RFC gives 8 digits; 6-digit codes are the last 6 of them (the same number mod 10^6).
  const vectors: [number, string][] = [
    [59, '287082'], // 94287082
    [1111111109, '081804'], // 07081804
    [1111111111, '050471'], // 14050471
    [1234567890, '005924'], // 89005924
    [2000000000, '279037'], // 69279037
    [20000000000, '353130'], // 65353130
  ];
  for (const [seconds, code] of vectors) {
    test(`T = ${seconds} s gives ${code}`, () => {
      const step = totpStep(new Date(seconds * 1000));
      assert.equal(step, Math.floor(seconds / 30));
      assert.equal(totpCode(RFC_SECRET, step), code);
    });
  }

  test('codes keep their leading zeros', () => {
    const code = totpCode(RFC_SECRET, totpStep(new Date(1234567890 * 1000)));
    assert.equal(code.length, 6);
    assert.match(code, /^00/);
  });
});

describe('base32 (RFC 4648)', () => {
  test('known vectors, with and without padding, any case', () => {
    const vectors: [string, string][] = [
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [plain, encoded] of vectors) {
      assert.equal(base32Encode(Buffer.from(plain)), encoded, plain);
      assert.equal(base32Decode(encoded).toString(), plain, encoded);
      assert.equal(base32Decode(encoded.toLowerCase()).toString(), plain, encoded.toLowerCase());
    }
    assert.equal(base32Decode('MY======').toString(), 'f');
    assert.equal(base32Decode('MZXW6YQ=').toString(), 'foob');
  });

  test('round-trips random bytes of every length', () => {
    for (let length = 0; length <= 41; length++) {
      const bytes = Buffer.from(Array.from({ length }, (_, i) => (i * 37 + length * 11) & 255));
      assert.deepEqual(base32Decode(base32Encode(bytes)), bytes, `length ${length}`);
    }
  });

  test('refuses characters outside the alphabet', () => {
    assert.throws(() => base32Decode('MZXW1'), /invalid base32/);
    assert.throws(() => base32Decode('MZ XW'), /invalid base32/);
  });

  test('generated secrets are 160 bits and differ', () => {
    const a = generateTotpSecret();
    const b = generateTotpSecret();
    assert.match(a, /^[A-Z2-7]{32}$/);
    assert.equal(base32Decode(a).length, 20);
    assert.notEqual(a, b);
  });
});

describe('matchTotp', () => {
  const secret = generateTotpSecret();
  const at = new Date('2026-03-01T12:00:10Z');
  const now = totpStep(at);

  test('accepts the current step and one step either side, returning the step', () => {
    assert.equal(matchTotp(secret, totpCode(secret, now), at, null), now);
    assert.equal(matchTotp(secret, totpCode(secret, now - 1), at, null), now - 1);
    assert.equal(matchTotp(secret, totpCode(secret, now + 1), at, null), now + 1);
  });

  test('refuses codes two or more steps away', () => {
    for (const step of [now - 2, now + 2, now - 10, now + 10]) {
      const code = totpCode(secret, step);
      // A code can repeat by chance across steps; skip the rare collision.
      if ([now - 1, now, now + 1].some((s) => totpCode(secret, s) === code)) continue;
      assert.equal(matchTotp(secret, code, at, null), null, `step offset ${step - now}`);
    }
  });

  test('refuses steps at or before the last one used (no replay)', () => {
    assert.equal(matchTotp(secret, totpCode(secret, now), at, now), null);
    assert.equal(matchTotp(secret, totpCode(secret, now - 1), at, now - 1), null);
    assert.equal(matchTotp(secret, totpCode(secret, now - 1), at, now), null);
    assert.equal(matchTotp(secret, totpCode(secret, now), at, now - 1), now);
    assert.equal(matchTotp(secret, totpCode(secret, now + 1), at, now), now + 1);
  });

  test('refuses another secret, and anything that is not six digits', () => {
    const other = generateTotpSecret();
    const code = totpCode(other, now);
    if (![now - 1, now, now + 1].some((s) => totpCode(secret, s) === code)) {
      assert.equal(matchTotp(secret, code, at, null), null);
    }
    const good = totpCode(secret, now);
    for (const bad of ['', '12345', '1234567', `${good} `, ` ${good}`, 'abcdef', `${good.slice(0, 5)}x`]) {
      assert.equal(matchTotp(secret, bad, at, null), null, JSON.stringify(bad));
    }
  });
});

test('otpauth URL carries the secret, issuer and parameters', () => {
  const text = otpauthUrl('GEZDGNBV', 'ana');
  assert.ok(text.startsWith('otpauth://totp/Homeward%3Aana?'), text);
  const url = new URL(text);
  assert.equal(url.searchParams.get('secret'), 'GEZDGNBV');
  assert.equal(url.searchParams.get('issuer'), 'Homeward');
  assert.equal(url.searchParams.get('digits'), '6');
  assert.equal(url.searchParams.get('period'), '30');
  assert.equal(url.searchParams.get('algorithm'), 'SHA1');
});
