import { definePolicy, roleIs } from './policy.ts';

/**
 * Repatriation cases. Which cases a caller sees is decided in the query
 * (repositories/cases.ts): a case is seen through the members the caller may see.
 * The case machine (domain/case-machine.ts) decides who may make each transition.
 */
export const casePolicy = definePolicy('cases', {
  list: roleIs('coordinator', 'judiciary', 'custody', 'security', 'embassy', 'child_protection'),
  read: roleIs('coordinator', 'judiciary', 'custody', 'security', 'embassy', 'child_protection'),
  open: roleIs('coordinator'),
  manageMembers: roleIs('coordinator'),
  // The table says which role makes which transition (the coordinator nearly all; an embassy the handover).
  transition: roleIs('coordinator', 'embassy'),
  /** "How many of our children are eligible, and what blocks the others": the coordinator, and an embassy for its own country. */
  countryView: roleIs('coordinator', 'embassy'),
});
