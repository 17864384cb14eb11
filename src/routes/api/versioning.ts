import { z } from 'zod';

/** Writes send the version they read: `If-Match: "3"`. */
export const IfMatchHeaders = z.object({
  'if-match': z.string().regex(/^(W\/)?"?\d+"?$/, 'must be the record\'s version, e.g. "3"'),
});

export function expectedVersion(ifMatch: string): number {
  return Number(ifMatch.replace(/^W\//, '').replaceAll('"', ''));
}

/** Sub-resource writes (a name, a document, a custody move) may send the person's version; when they do, it is checked. */
export const OptionalIfMatchHeaders = z.object({
  'if-match': z.string().regex(/^(W\/)?"?\d+"?$/, 'must be the record\'s version, e.g. "3"').optional(),
});

export const optionalVersion = (ifMatch: string | undefined): number | undefined => (ifMatch === undefined ? undefined : expectedVersion(ifMatch));
