/** The 14 nationalities of the demo data set, as in the seeds (833 children of 14 nationalities). */
export const DEMO_COUNTRIES = [
  { code: 'RUS', name: 'Russia' },
  { code: 'TJK', name: 'Tajikistan' },
  { code: 'AZE', name: 'Azerbaijan' },
  { code: 'TUR', name: 'Turkey' },
  { code: 'DEU', name: 'Germany' },
  { code: 'FRA', name: 'France' },
  { code: 'KGZ', name: 'Kyrgyzstan' },
  { code: 'KAZ', name: 'Kazakhstan' },
  { code: 'UZB', name: 'Uzbekistan' },
  { code: 'GEO', name: 'Georgia' },
  { code: 'BLR', name: 'Belarus' },
  { code: 'UKR', name: 'Ukraine' },
  { code: 'FIN', name: 'Finland' },
  { code: 'TTO', name: 'Trinidad and Tobago' },
] as const;
