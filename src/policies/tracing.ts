import { definePolicy, roleIs } from './policy.ts';

/**
 * Tracing requests: filed by an embassy (for its country's families) or the
 * coordinator; an embassy sees its own country's only (scoped in the query).
 */
export const tracingPolicy = definePolicy('tracing-requests', {
  list: roleIs('coordinator', 'embassy'),
  read: roleIs('coordinator', 'embassy'),
  file: roleIs('coordinator', 'embassy'),
  close: roleIs('coordinator', 'embassy'),
});

/**
 * The matching engine's proposals. The coordinator reviews them all; an embassy
 * reviews tracing candidates of its own requests, among people it may see.
 */
export const matchCandidatePolicy = definePolicy('match-candidates', {
  list: roleIs('coordinator', 'embassy'),
  decide: roleIs('coordinator', 'embassy'),
});
