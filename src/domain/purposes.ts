import { CATEGORIES, type Category } from './categories.ts';

/**
 * Why each data category of DESIGN.md is held, and on what legal basis (issue 8, decision 0025): the
 * table a data-protection officer signs, kept beside the categories so that a category cannot be added
 * without its purpose (the Record type will not compile). The web app shows the same words, translated,
 * wherever data of a category is entered or shared (`dataProtection.categories.<category>` in its i18n
 * files); `GET /api/v1/data-categories` gives them in English with the codes.
 *
 * The bases are those of international law the process rests on, and the detaining State's own duties
 * described in general terms; Homeward names no article of any one country's statutes, which the
 * ministry's own register of processing adds.
 */
export const LEGAL_BASES = ['consular_protection', 'best_interests_of_the_child', 'legal_obligation', 'vital_interests', 'public_interest'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

/** Each basis in one line. */
export const LEGAL_BASIS_TEXT: Readonly<Record<LegalBasis, string>> = {
  consular_protection: 'Consular protection: the Vienna Convention on Consular Relations (1963), articles 5 and 36 — informing a detained national’s State and letting its consular officers communicate with and assist them.',
  best_interests_of_the_child: 'The best interests of the child as a primary consideration: UN Convention on the Rights of the Child, article 3, with the child’s right to an identity (article 8) and to family reunification (articles 9 and 10).',
  legal_obligation: 'A legal obligation of the detaining State: lawful records of everyone in its custody, of the proceedings against them and of their release or transfer.',
  vital_interests: 'The vital interests of the person: their health and safety in custody and while they travel.',
  public_interest: 'A task carried out in the public interest and in the exercise of official authority: the return of foreign nationals to their States, agreed between the States concerned.',
};

export interface CategoryPurpose {
  /** What the data of the category is used for, and only for. */
  readonly purpose: string;
  /** The bases, the first one the main one. */
  readonly legalBases: readonly LegalBasis[];
  /** The basis as it applies to this category, in one or two sentences. */
  readonly legalBasis: string;
}

export const CATEGORY_PURPOSES: Readonly<Record<Category, CategoryPurpose>> = {
  identity: {
    purpose: 'To establish who the person is and which State they are a national of, so that the home country can confirm the nationality and issue travel documents.',
    legalBases: ['consular_protection', 'legal_obligation'],
    legalBasis: 'Consular protection (Vienna Convention on Consular Relations, arts. 5 and 36) and the detaining State’s duty to keep a lawful record of everyone it holds.',
  },
  family: {
    purpose: 'To keep families together: to know who is whose mother, child or guardian, so that a mother and her children are dealt with as one and a child is handed over only to a verified guardian.',
    legalBases: ['best_interests_of_the_child', 'public_interest'],
    legalBasis: 'The best interests of the child and the right to family reunification (Convention on the Rights of the Child, arts. 3, 9 and 10).',
  },
  custody: {
    purpose: 'To know where each person is held, since when and until when, so that a return can be planned and the home country’s consular officers can visit its nationals.',
    legalBases: ['legal_obligation', 'consular_protection'],
    legalBasis: 'The detaining State’s legal obligation to record detention, transfer and release, and consular access to detained nationals (Vienna Convention on Consular Relations, art. 36).',
  },
  legal: {
    purpose: 'To know whether a person may leave: proceedings, verdicts and sentences decide whether a sentence has been served and whether a conviction stands in the way of return.',
    legalBases: ['legal_obligation', 'public_interest'],
    legalBasis: 'The detaining State’s legal obligation to carry out court decisions, and the official authority of its judiciary.',
  },
  security: {
    purpose: 'To screen each person before release or transfer, and to record what bars a return: a crimes-against-humanity finding, or a risk of persecution or of the death penalty at home.',
    legalBases: ['public_interest', 'legal_obligation'],
    legalBasis: 'The official authority of the security agencies, and the obligation of non-refoulement (1951 Refugee Convention, art. 33; Convention against Torture, art. 3). Never shared with an embassy.',
  },
  welfare: {
    purpose: 'To protect health and safety: medical needs and vulnerability (unaccompanied, separated or orphaned children) decide the care given in custody and the fitness to travel.',
    legalBases: ['vital_interests', 'best_interests_of_the_child'],
    legalBasis: 'The vital interests of the person, and for children their best interests (Convention on the Rights of the Child, art. 3).',
  },
  best_interests: {
    purpose: 'To decide, for each child who needs it, whether going home is in the child’s best interests, through an assessment and a panel’s determination.',
    legalBases: ['best_interests_of_the_child'],
    legalBasis: 'The best interests of the child as a primary consideration (Convention on the Rights of the Child, art. 3). Seen by child protection only; never shared with an embassy.',
  },
  genetic: {
    purpose: 'To confirm a claimed kinship by DNA where no document can, and for nothing else; others see only “kinship confirmed by DNA”.',
    legalBases: ['best_interests_of_the_child', 'vital_interests'],
    legalBasis: 'The child’s right to an identity and to family relations (Convention on the Rights of the Child, arts. 3 and 8), with the informed consent of the relative who gives the sample. Special-category data: never shared with an embassy.',
  },
  case_status: {
    purpose: 'To let every party follow a return — where a case stands, what is missing, when a person left and was handed over — and to publish figures that name no one.',
    legalBases: ['public_interest', 'consular_protection'],
    legalBasis: 'A task in the public interest agreed between the States concerned, and consular protection (Vienna Convention on Consular Relations, art. 36).',
  },
};

/** The categories in DESIGN.md's order, each with its purpose and basis. */
export function categoryPurposes(): { readonly category: Category; readonly purpose: CategoryPurpose }[] {
  return CATEGORIES.map((category) => ({ category, purpose: CATEGORY_PURPOSES[category] }));
}
