import { definePolicy, roleIs } from './policy.ts';

/**
 * Figures (DESIGN.md capability 6). The coordinator runs the process and publishes figures: the
 * dashboard, the public statistics, their exports and the statement. An embassy sees the dashboard
 * for its own country (scoped in the query, repositories/figures.ts). The other roles are not given
 * figures: judiciary, custody, security and child protection each see a slice of the registry, and
 * counts across it would tell them about people outside it; admin and auditor see no case data.
 */
export const figuresPolicy = definePolicy('figures', {
  dashboard: roleIs('coordinator', 'embassy'),
  publish: roleIs('coordinator'),
});
