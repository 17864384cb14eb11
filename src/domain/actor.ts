import type { Role } from './roles.ts';

export const TOKEN_SCOPES = ['read', 'write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** Who is asking: a signed-in person (session) or a machine acting for one (API token). */
export interface Actor {
  readonly userId: string;
  readonly username: string;
  readonly role: Role;
  readonly agencyId: string | null;
  /** Set for embassy users: the one country whose nationals they may see. */
  readonly countryCode: string | null;
  readonly via: 'session' | 'token';
  readonly scopes: readonly TokenScope[];
  /** A session whose role requires two-factor login but who has not enrolled yet. */
  readonly totpEnrollmentPending: boolean;
  /** Signed in with a one-time password that must be replaced before anything else. */
  readonly passwordChangePending: boolean;
}
