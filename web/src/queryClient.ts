import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api/client';
import { SESSION_KEY, endSession } from './session/session';

/** 401s that are answers about a login attempt, not about a session. */
const LOGIN_REFUSALS = new Set(['invalid_credentials', 'totp_required', 'invalid_totp']);

/** TanStack Query, set up so that a session that ends on the server ends here too. */
export function createQueryClient(): QueryClient {
  const onError = (error: Error): void => {
    if (!(error instanceof ApiError) || error.status !== 401 || LOGIN_REFUSALS.has(error.code)) return;
    if (client.getQueryData(SESSION_KEY)) endSession(client, { byServer: true });
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (count, error) => !(error instanceof ApiError && error.status > 0 && error.status < 500) && count < 2,
      },
      mutations: { retry: false },
    },
  });
  return client;
}
