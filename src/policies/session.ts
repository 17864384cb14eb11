import { anyone, definePolicy } from './policy.ts';

/** One's own session and account settings: every signed-in person. */
export const sessionPolicy = definePolicy('session', {
  read: anyone,
  logout: anyone,
  updatePreferences: anyone,
  enrolTotp: anyone,
  changePassword: anyone,
});
