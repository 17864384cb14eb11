import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Credentials, authApi } from '../api/auth';
import { ApiError, setCsrfToken } from '../api/client';
import type { Locale, Session, User } from '../api/types';
import { changeLanguage } from '../i18n';
import { navigate } from '../router/router';

export const SESSION_KEY = ['session'] as const;
/** Set when the server ended the session (expired, revoked): the login page says so. */
export const SESSION_ENDED_KEY = ['session-ended'] as const;

/** Takes a session from the server: its CSRF token for later writes, its user's language. */
function adopt(session: Session): Session {
  setCsrfToken(session.csrfToken);
  changeLanguage(session.user.locale);
  return session;
}

/** The signed-in session, or null when there is none (401). */
export function useSession() {
  return useQuery<Session | null>({
    queryKey: SESSION_KEY,
    queryFn: async ({ signal }) => {
      try {
        return adopt(await authApi.session(signal));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
}

/** Forgets the session and every cached answer that belonged to it. */
export function endSession(client: QueryClient, options: { byServer?: boolean } = {}): void {
  setCsrfToken(null);
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
  if (options.byServer) client.setQueryData(SESSION_ENDED_KEY, true);
  client.setQueryData<Session | null>(SESSION_KEY, null);
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (credentials: Credentials) => authApi.login(credentials),
    onSuccess: (session) => {
      client.removeQueries({ queryKey: SESSION_ENDED_KEY });
      client.setQueryData<Session | null>(SESSION_KEY, adopt(session));
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => authApi.logout(),
    // Signed out on the server or not, this browser forgets the session; the next person starts at home.
    onSettled: () => {
      endSession(client);
      navigate('/', { replace: true });
    },
  });
}

/** Replaces the signed-in user after the server answers with a changed one. */
export function useReplaceUser(): (user: User) => void {
  const client = useQueryClient();
  return (user) =>
    client.setQueryData<Session | null>(SESSION_KEY, (session) => (session ? { ...session, user } : session));
}

/** Changes the language on screen at once, then saves it as the user's preference. */
export function useSaveLocale() {
  const replaceUser = useReplaceUser();
  return useMutation({
    mutationFn: (locale: Locale) => {
      changeLanguage(locale);
      return authApi.setLocale(locale);
    },
    onSuccess: ({ user }) => replaceUser(user),
  });
}
