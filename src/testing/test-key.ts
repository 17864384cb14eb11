/**
 * Tests seal the sensitive fields (decision 0024) with a fixed key, unless one is set: the
 * in-process app and every `homeward` child process a test starts (they inherit the environment).
 * Fictional, for tests only: 32 bytes as 64 hex digits.
 */
export const TEST_ENCRYPTION_KEY = '7e57000000000000000000000000000000000000000000000000000000007e57';

if (!process.env.HOMEWARD_ENCRYPTION_KEY) process.env.HOMEWARD_ENCRYPTION_KEY = TEST_ENCRYPTION_KEY;
