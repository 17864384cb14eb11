import { z } from 'zod';
import { countryPolicy } from '../../../policies/country.ts';
import { can } from '../../../policies/policy.ts';
import type { RouteModule } from '../../../server/context.ts';
import { ListQuery, decodeCursor, listSchema, page } from '../../../server/pagination.ts';
import { withErrors } from '../schemas.ts';

const CountrySchema = z
  .object({
    code: z.string().describe('ISO 3166-1 alpha-3'),
    alpha2: z.string(),
    names: z.object({ en: z.string(), ar: z.string(), ru: z.string(), fr: z.string() }),
  })
  .meta({ id: 'Country' });

/** The ISO 3166 list of countries, with names in the four languages of the interface. */
export const countryRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/v1/countries',
    {
      config: { access: can(countryPolicy, 'list') },
      schema: { tags: ['countries'], summary: 'ISO 3166 countries by alpha-3 code', querystring: ListQuery, response: withErrors({ 200: listSchema(CountrySchema) }) },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = decodeCursor(cursor, z.tuple([z.string()]));
      let query = ctx.database.db.selectFrom('countries').selectAll().orderBy('code').limit(limit + 1);
      if (after) query = query.where('code', '>', after[0]);
      const result = page(await query.execute(), limit, (c) => [c.code]);
      return {
        data: result.data.map((c) => ({ code: c.code, alpha2: c.alpha2, names: { en: c.name_en, ar: c.name_ar, ru: c.name_ru, fr: c.name_fr } })),
        nextCursor: result.nextCursor,
      };
    },
  );
};
