import { anyone, definePolicy, roleIs } from './policy.ts';

/** Agency names are not sensitive: everyone signed in may read them; admins manage them. */
export const agencyPolicy = definePolicy('agencies', {
  list: anyone,
  create: roleIs('admin'),
});
