/** DESIGN.md: after 5 failed logins a username is locked for 15 minutes. */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;
/** Failures older than this are forgotten. */
export const FAILURE_WINDOW_MINUTES = 15;
/** Login attempts one client address may make per window, whatever the usernames. */
export const ADDRESS_ATTEMPTS_PER_WINDOW = 60;
export const ADDRESS_WINDOW_MINUTES = 10;
