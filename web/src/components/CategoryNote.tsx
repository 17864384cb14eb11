import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The data categories of DESIGN.md (src/domain/categories.ts). */
export type DataCategory = 'identity' | 'family' | 'custody' | 'legal' | 'security' | 'welfare' | 'best_interests' | 'genetic' | 'case_status';

/**
 * Why data of a category is held and on what legal basis (decision 0025): one short line per category,
 * shown where such data is entered or shared. The words are the data-protection officer's table
 * (src/domain/purposes.ts), translated.
 */
export function CategoryNote({ categories, shared = false }: { readonly categories: readonly DataCategory[]; readonly shared?: boolean }) {
  const { t } = useTranslation();
  if (categories.length === 0) return null;
  return (
    <Stack gap={2} data-testid="category-note" aria-label={t('dataProtection.title')}>
      {categories.map((c) => (
        <Text key={c} size="xs" c="dimmed" data-testid={`category-note-${c}`}>
          <Text span inherit fw={600}>
            {shared ? `${t('dataProtection.sharedWithEmbassy')}: ` : ''}
            {t(`dataProtection.categories.${c}.name`)}
          </Text>
          {' — '}
          {t('dataProtection.purpose')}: {t(`dataProtection.categories.${c}.purpose`)} {t('dataProtection.legalBasis')}: {t(`dataProtection.categories.${c}.legalBasis`)}
        </Text>
      ))}
    </Stack>
  );
}
