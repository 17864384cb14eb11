import { z } from 'zod';

/** A link says: the relative is the person's <relation>. Stored with its inverse. */
export const RELATIONS = ['mother', 'father', 'child', 'sibling', 'guardian', 'ward', 'caregiver', 'cared_for'] as const;
export type Relation = (typeof RELATIONS)[number];
export const VERIFICATIONS = ['unverified', 'document', 'dna', 'testimony', 'embassy'] as const;

export const NewFamilyLinkSchema = z.strictObject({
  relativeId: z.uuid(),
  relation: z.enum(RELATIONS).describe('what the relative is to this person: their mother, child, guardian…'),
  verification: z.enum(VERIFICATIONS).default('unverified'),
  confidence: z.number().min(0).max(1).default(0.5),
});

/**
 * The relation seen from the other side. The inverse of `child` is the person's
 * parent role, which depends on their sex: a person of unknown sex cannot be
 * recorded as a parent until it is known.
 */
export function inverseRelation(relation: Relation, personSex: string): Relation | null {
  switch (relation) {
    case 'mother':
    case 'father':
      return 'child';
    case 'child':
      return personSex === 'female' ? 'mother' : personSex === 'male' ? 'father' : null;
    case 'sibling':
      return 'sibling';
    case 'guardian':
      return 'ward';
    case 'ward':
      return 'guardian';
    case 'caregiver':
      return 'cared_for';
    case 'cared_for':
      return 'caregiver';
  }
}
