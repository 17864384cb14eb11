import { definePolicy, roleIs } from './policy.ts';

/** Which roles must use two-factor login: an administrator's choice. */
export const roleSettingPolicy = definePolicy('role-settings', {
  list: roleIs('admin'),
  update: roleIs('admin'),
});
