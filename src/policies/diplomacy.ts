import { definePolicy, roleIs } from './policy.ts';

/**
 * Countries and diplomacy: notifications, meetings and their action items, agreements.
 * The coordinator (the foreign ministry's legal directorate) keeps them all; an embassy
 * reads its own country's only (another country's answer 404, scoped in the query) and
 * acknowledges the notifications sent to it. Judiciary, custody, security and child
 * protection take no part in the diplomacy and see none of it; neither do administrators
 * (they keep the missions, not what was said to them) nor auditors (the trail only).
 */
export const diplomacyPolicy = definePolicy('diplomacy', {
  /** A country's page and the list of countries with nationals held. */
  read: roleIs('coordinator', 'embassy'),
  notify: roleIs('coordinator'),
  /** The notification's PDF: an export, audited. */
  download: roleIs('coordinator', 'embassy'),
  acknowledge: roleIs('coordinator', 'embassy'),
  recordMeeting: roleIs('coordinator'),
  recordAgreement: roleIs('coordinator'),
});
