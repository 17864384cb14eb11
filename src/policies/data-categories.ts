import { anyone, definePolicy } from './policy.ts';

/** The data categories with their purpose and legal basis (decision 0025): every role signed in may read why its data is held. */
export const dataCategoryPolicy = definePolicy('data_categories', {
  list: anyone,
});
