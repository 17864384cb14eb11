import { definePolicy, roleIs } from './policy.ts';

/** People who log in are managed by administrators only. */
export const userPolicy = definePolicy('users', {
  list: roleIs('admin'),
  read: roleIs('admin'),
  create: roleIs('admin'),
  update: roleIs('admin'),
});
