import { definePolicy, roleIs } from './policy.ts';

/**
 * Nationality verification with the missions. The coordinator sends requests and
 * sees them all; an embassy sees and answers its own country's (scoped in the query).
 */
export const verificationPolicy = definePolicy('verification-requests', {
  list: roleIs('coordinator', 'embassy'),
  read: roleIs('coordinator', 'embassy'),
  send: roleIs('coordinator'),
  answer: roleIs('embassy'),
});

/** Each country's mission: the coordinator and administrators keep it; an embassy reads its own. */
export const missionPolicy = definePolicy('missions', {
  list: roleIs('coordinator', 'admin', 'embassy'),
  update: roleIs('coordinator', 'admin'),
});
