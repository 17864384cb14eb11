import { definePolicy, roleIs } from './policy.ts';

/** The audit trail is the auditor's; it shows events, never the values they refer to. */
export const auditEventPolicy = definePolicy('audit-events', {
  list: roleIs('auditor'),
  verify: roleIs('auditor'),
});
