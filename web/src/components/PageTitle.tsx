import { Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

interface PageTitleProps {
  readonly children: string;
  /** data-testid; "page-title" unless a page names its heading itself. */
  readonly testId?: string;
  /** "auto" for a name that may be written right to left inside a left-to-right page, or the reverse. */
  readonly dir?: 'auto';
}

/** The page's heading, also used for the browser tab's title. */
export function PageTitle({ children, testId = 'page-title', dir }: PageTitleProps) {
  const { t } = useTranslation();
  const appName = t('app.name');
  useEffect(() => {
    document.title = `${children} · ${appName}`;
  }, [children, appName]);
  return (
    <Title order={1} size="h2" mb="md" data-testid={testId} dir={dir} className={dir ? 'hw-name' : undefined}>
      {children}
    </Title>
  );
}
