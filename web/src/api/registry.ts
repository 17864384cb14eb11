import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Facility, NewPerson, Person, PersonListItem, PersonSearch } from './registryTypes';
import type { Page } from './types';

/** One page of results: large enough that a name search shows its best matches at once. */
const PAGE_SIZE = 50;
/** Facilities are few; one page of the maximum size holds them all. */
const ALL_FACILITIES = 500;

export const PERSONS_KEY = ['persons'] as const;
export const FACILITIES_KEY = ['facilities'] as const;
export const personKey = (id: string) => [...PERSONS_KEY, 'one', id] as const;

export const registryApi = {
  search: (search: Partial<PersonSearch>, cursor: string | null, limit = PAGE_SIZE) =>
    api.get<Page<PersonListItem>>('/persons', {
      limit,
      cursor,
      q: search.q?.trim(),
      nationality: search.nationality,
      facilityId: search.facilityId,
      kind: search.kind,
      sex: search.sex,
      ageMin: search.ageMin?.trim(),
      ageMax: search.ageMax?.trim(),
      legalStatus: search.legalStatus,
    }),
  person: (id: string) => api.get<Person>(`/persons/${encodeURIComponent(id)}`),
  register: (person: NewPerson) => api.post<Person>('/persons', person),
  facilities: (overCapacity: boolean, cursor: string | null = null, limit = ALL_FACILITIES) =>
    api.get<Page<Facility>>('/facilities', { limit, cursor, overCapacity: overCapacity ? 'true' : undefined }),
  facility: (id: string) => api.get<Facility>(`/facilities/${encodeURIComponent(id)}`),
};

/** Every facility (for selects); only asked for when the user may see facilities. */
export function useFacilityOptions(enabled: boolean) {
  return useQuery({
    queryKey: [...FACILITIES_KEY, 'all'],
    queryFn: () => registryApi.facilities(false),
    select: (page) => page.data,
    enabled,
  });
}
