import type { IsoDate } from '../domain/birth-date.ts';

/** Today in UTC as YYYY-MM-DD: the date ages and kinds are computed on. */
export function today(): IsoDate {
  return new Date().toISOString().slice(0, 10);
}
