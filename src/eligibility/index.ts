/**
 * The eligibility engine: pure functions from a case member's facts to a verdict that explains
 * itself. See docs/decisions/0015-case-machine-and-eligibility.md.
 */
export * from './engine.ts';
export * from './facts.ts';
export * from './messages.ts';
export * from './records.ts';
export * from './rules.ts';
