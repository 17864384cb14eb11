import { z } from 'zod';

/** The error body every 4xx and 5xx answer carries. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().describe('stable snake_case code, e.g. invalid_input, totp_required, account_locked'),
      message: z.string(),
      details: z.array(
        z.object({
          path: z.string().describe('the field, e.g. body.birthDate.year'),
          message: z.string().describe('in English'),
          code: z.string().optional().describe('stable code of the problem (required, in_future, too_small_length, unknown_country, …) for clients to translate'),
          params: z.record(z.string(), z.union([z.string(), z.number()])).optional().describe('the values the message names (limit, date, value)'),
        }),
      ),
    }),
  })
  .meta({ id: 'Error' });

/** Adds the error answers every authenticated route can give, for the OpenAPI document. */
export function withErrors<T extends Record<number, z.ZodType>>(responses: T) {
  return {
    ...responses,
    400: ErrorSchema,
    401: ErrorSchema,
    403: ErrorSchema,
    404: ErrorSchema,
    409: ErrorSchema,
    412: ErrorSchema,
    413: ErrorSchema,
    422: ErrorSchema,
    429: ErrorSchema,
  };
}

export const IdParams = z.strictObject({ id: z.uuid({ message: 'must be a UUID' }) });

/** Free text a person types: trimmed, no control characters. */
export const Text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'must not contain control characters');
