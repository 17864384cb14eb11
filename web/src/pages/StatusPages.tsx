import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../components/PageTitle';
import { onLinkClick } from '../router/router';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle>{t('notFound.title')}</PageTitle>
      <Text mb="md">{t('notFound.text')}</Text>
      <Anchor href="/" onClick={onLinkClick('/')}>
        {t('notFound.home')}
      </Anchor>
    </>
  );
}

/** The server would refuse this page's data anyway; say so rather than show an empty page. */
export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle>{t('forbidden.title')}</PageTitle>
      <Text>{t('forbidden.text')}</Text>
    </>
  );
}
