import { definePolicy, roleIs } from './policy.ts';

/** Bulk import of people: the agencies that register people. Export: everyone who may search, scoped. */
export const registryImportPolicy = definePolicy('imports', {
  template: roleIs('coordinator', 'custody'),
  run: roleIs('coordinator', 'custody'),
});
