import { api } from './client';
import type { Locale, Session, TotpSetup, User } from './types';

export interface Credentials {
  readonly username: string;
  readonly password: string;
  readonly totp?: string;
}

export const authApi = {
  session: (signal?: AbortSignal) => api.get<Session>('/auth/session', undefined, signal),
  login: (credentials: Credentials) => api.post<Session>('/auth/login', credentials),
  logout: () => api.post<undefined>('/auth/logout'),
  setLocale: (locale: Locale) => api.put<{ user: User }>('/auth/preferences', { locale }),
  changePassword: (currentPassword: string, newPassword: string) =>
    api.put<{ user: User }>('/auth/password', { currentPassword, newPassword }),
  setupTotp: () => api.post<TotpSetup>('/auth/totp/setup', {}),
  enableTotp: (code: string) => api.post<{ user: User }>('/auth/totp/enable', { code }),
};
