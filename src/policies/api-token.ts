import { anyone, definePolicy } from './policy.ts';

/** Everyone may hold API tokens for their own account; a token acts with its owner's role. */
export const apiTokenPolicy = definePolicy('api-tokens', {
  list: anyone,
  create: anyone,
  revoke: anyone,
});
