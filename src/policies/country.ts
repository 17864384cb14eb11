import { anyone, definePolicy } from './policy.ts';

/** ISO 3166 reference data, readable by everyone signed in. */
export const countryPolicy = definePolicy('countries', {
  list: anyone,
});
