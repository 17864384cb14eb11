import type { Actor } from '../domain/actor.ts';

/** A rule: may this actor take this action at all? Record-level scoping happens in the query. */
export type Rule = (actor: Actor) => boolean;

export interface Policy<R extends string = string, A extends string = string> {
  readonly resource: R;
  readonly rules: Readonly<Record<A, Rule>>;
}

/** One policy per resource, its actions typed: `allows(userPolicy, 'create')` will not compile for a typo. */
export function definePolicy<R extends string, A extends string>(resource: R, rules: Record<A, Rule>): Policy<R, A> {
  return { resource, rules };
}

/**
 * What a route requires, declared beside it. Every route under /api must have
 * one (the app refuses to start otherwise, and a test checks every route).
 */
export type RouteAccess =
  | { readonly kind: 'public' }
  | {
      readonly kind: 'policy';
      readonly resource: string;
      readonly action: string;
      readonly rule: Rule;
      /** Reachable before a required two-factor enrolment is done (the enrolment itself, logout). */
      readonly beforeTotpEnrollment: boolean;
      /** Only for a person signed in with a session, never an API token. */
      readonly sessionOnly: boolean;
    };

export const PUBLIC: RouteAccess = { kind: 'public' };

export function can<R extends string, A extends string>(
  policy: Policy<R, A>,
  action: A,
  options: { beforeTotpEnrollment?: boolean; sessionOnly?: boolean } = {},
): RouteAccess {
  return {
    kind: 'policy',
    resource: policy.resource,
    action,
    rule: policy.rules[action],
    beforeTotpEnrollment: options.beforeTotpEnrollment ?? false,
    sessionOnly: options.sessionOnly ?? false,
  };
}

export function allows<R extends string, A extends string>(policy: Policy<R, A>, actor: Actor, action: A): boolean {
  return policy.rules[action](actor);
}

export const anyone: Rule = () => true;
export const roleIs =
  (...roles: Actor['role'][]): Rule =>
  (actor) =>
    roles.includes(actor.role);
