import type { Category } from './categories.ts';
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
  /**
   * Embassy users: the data categories of their country's data-sharing agreement in force today, set by the
   * auth hook; null or absent: DESIGN.md's default (decision 0023).
   */
  readonly sharedCategories?: readonly Category[] | null;
}
