import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generatePassword, hashPassword, MIN_PASSWORD_LENGTH, passwordProblem, verifyPassword } from './passwords.ts';

describe('password hashing (argon2id)', () => {
  const password = 'correct-horse-battery-9';
  let stored: string;

  test('hashes with argon2id at OWASP strength or more, salted', async () => {
    stored = await hashPassword(password);
    assert.match(stored, /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    const [, m, t] = /m=(\d+),t=(\d+)/.exec(stored) ?? [];
    assert.ok(Number(m) >= 19456 && Number(t) >= 2, `parameters m=${m} t=${t}`);
    assert.ok(!stored.includes(password));
    assert.notEqual(await hashPassword(password), stored, 'two hashes of one password differ (random salt)');
  });

  test('verifies the right password and refuses a wrong one', async () => {
    stored ??= await hashPassword(password);
    assert.equal(await verifyPassword(stored, password), true);
    assert.equal(await verifyPassword(stored, `${password}x`), false);
    assert.equal(await verifyPassword(stored, password.toUpperCase()), false);
    assert.equal(await verifyPassword(stored, ''), false);
  });

  test('an unknown user (no hash) or a corrupt hash never verifies, and does not throw', async () => {
    assert.equal(await verifyPassword(null, password), false);
    assert.equal(await verifyPassword(null, ''), false);
    assert.equal(await verifyPassword('not-a-hash', password), false);
    assert.equal(await verifyPassword('$argon2id$v=19$m=19456,t=2,p=1$broken', password), false);
  });
});

describe('passwordProblem', () => {
  test(`refuses passwords shorter than ${MIN_PASSWORD_LENGTH} characters`, () => {
    assert.equal(MIN_PASSWORD_LENGTH, 12);
    assert.equal(passwordProblem('Xk9#mP2$vL7'), 'must be at least 12 characters');
    assert.equal(passwordProblem(''), 'must be at least 12 characters');
    assert.equal(passwordProblem('Xk9#mP2$vL7q'), null);
  });

  test('refuses passwords longer than 256 characters', () => {
    const long = 'abcdefghij'.repeat(26); // 260
    assert.equal(passwordProblem(long), 'must be at most 256 characters');
    assert.equal(passwordProblem(long.slice(0, 256)), null);
  });

  test('refuses common passwords, whatever their case', () => {
    assert.equal(passwordProblem('qwerty123456'), 'is too common');
    assert.equal(passwordProblem('QWERTY123456'), 'is too common');
    assert.equal(passwordProblem('PasswordPassword'), 'is too common');
    assert.equal(passwordProblem('Administrator'), 'is too common');
  });

  test('refuses passwords of fewer than 5 different characters', () => {
    assert.equal(passwordProblem('aaaaaaaaaaaa'), 'must use more different characters');
    assert.equal(passwordProblem('abcdabcdabcd'), 'must use more different characters');
    assert.equal(passwordProblem('abcdeabcdeab'), null);
  });

  test('refuses a password containing the username, whatever its case', () => {
    assert.equal(passwordProblem('my-ANA-secret-99', 'ana'), 'must not contain the username');
    assert.equal(passwordProblem('my-ana-secret-99', 'Ana'), 'must not contain the username');
    assert.equal(passwordProblem('my-ana-secret-99', 'bob'), null);
    assert.equal(passwordProblem('my-ana-secret-99'), null);
  });

  test('accepts long passphrases with any script', () => {
    assert.equal(passwordProblem('correct horse battery staple'), null);
    assert.equal(passwordProblem('كلمة سر طويلة جدا'), null);
    assert.equal(passwordProblem('очень длинный пароль'), null);
  });
});

test('generated passwords are acceptable, 4 groups of 5, and differ', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 50; i++) {
    const p = generatePassword();
    assert.match(p, /^[a-zA-Z2-9]{5}(-[a-zA-Z2-9]{5}){3}$/);
    assert.doesNotMatch(p, /[01ilIoOB]/, 'no look-alike characters');
    assert.equal(passwordProblem(p), null, p);
    seen.add(p);
  }
  assert.equal(seen.size, 50);
});
