import { z } from 'zod';
import { CATEGORIES, EMBASSY_DEFAULT_CATEGORIES, visibleCategories } from '../../../domain/categories.ts';
import { LEGAL_BASES, categoryPurposes } from '../../../domain/purposes.ts';
import { dataCategoryPolicy } from '../../../policies/data-categories.ts';
import { can } from '../../../policies/policy.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { withErrors } from '../schemas.ts';

const DataCategorySchema = z
  .object({
    category: z.enum(CATEGORIES),
    purpose: z.string().describe('what the data of the category is used for, in English'),
    legalBasis: z.string().describe('the legal basis as it applies to the category, in English'),
    legalBases: z.array(z.enum(LEGAL_BASES)).describe('the bases by code, the main one first'),
    visible: z.boolean().describe('whether the caller’s role (and for an embassy its country’s agreement in force) lets it see data of the category'),
    addedByAgreement: z
      .boolean()
      .nullable()
      .describe('embassy only: whether its country’s data-sharing agreement in force grants the category beyond the default (identity, family, case status); null for every other role'),
  })
  .meta({ id: 'DataCategory' });

const DataCategoriesSchema = z
  .object({
    data: z.array(DataCategorySchema),
    agreementInForce: z
      .boolean()
      .nullable()
      .describe('embassy only: whether an agreement naming data categories is in force for its country today; null for every other role'),
  })
  .meta({ id: 'DataCategories' });

/** Every data category with its purpose and legal basis, and what the caller sees of it. */
export const dataCategoryRoutes: RouteModule = (app) => {
  app.get(
    '/api/v1/data-categories',
    {
      config: { access: can(dataCategoryPolicy, 'list') },
      schema: {
        tags: ['data protection'],
        summary: 'The data categories, their purpose and legal basis, and which of them the caller sees',
        response: withErrors({ 200: DataCategoriesSchema }),
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const embassy = actor.role === 'embassy';
      const visible = visibleCategories(actor.role, actor.sharedCategories);
      const agreement = embassy && actor.sharedCategories ? new Set(actor.sharedCategories) : null;
      return {
        data: categoryPurposes().map(({ category, purpose }) => ({
          category,
          purpose: purpose.purpose,
          legalBasis: purpose.legalBasis,
          legalBases: [...purpose.legalBases],
          visible: visible.has(category),
          addedByAgreement: embassy ? agreement !== null && visible.has(category) && !EMBASSY_DEFAULT_CATEGORIES.includes(category) : null,
        })),
        agreementInForce: embassy ? agreement !== null : null,
      };
    },
  );
};
