import { api } from './client';
import type { Agency, Country, CreatedUser, NewUser, Page, Role, RoleSetting, UserListItem } from './types';

/** Reference lists are small; one page of the maximum size holds them. */
const REFERENCE_LIMIT = 500;

export const adminApi = {
  users: (cursor: string | null, limit = 50) => api.get<Page<UserListItem>>('/users', { limit, cursor }),
  createUser: (user: NewUser) => api.post<CreatedUser>('/users', user),
  agencies: () => api.get<Page<Agency>>('/agencies', { limit: REFERENCE_LIMIT }),
  countries: () => api.get<Page<Country>>('/countries', { limit: REFERENCE_LIMIT }),
  roleSettings: () => api.get<{ data: readonly RoleSetting[] }>('/role-settings'),
  setRoleSetting: (role: Role, totpRequired: boolean) =>
    api.put<RoleSetting>(`/role-settings/${encodeURIComponent(role)}`, { totpRequired }),
};
