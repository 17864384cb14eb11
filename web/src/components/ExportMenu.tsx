import { Button, Menu } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const FORMATS = ['csv', 'xlsx', 'pdf'] as const;

/**
 * "Export" with CSV / Excel / PDF links to a list's export route, carrying the list's filters.
 * The server scopes and audits the export; empty filters are left out. `list` names what is
 * exported ("Export: Tracing requests") for screen readers, where a page has several menus.
 */
export function ExportMenu({ url, filters = {}, testId, list }: { readonly url: string; readonly filters?: Readonly<Record<string, string | undefined>>; readonly testId: string; readonly list?: string }) {
  const { t } = useTranslation();
  const href = (format: (typeof FORMATS)[number]) => {
    const q = new URLSearchParams({ format });
    for (const [key, value] of Object.entries(filters)) if (value) q.set(key, value);
    return `${url}?${q.toString()}`;
  };
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="light" size="compact-sm" data-testid={testId} aria-label={list ? t('common.export.named', { list }) : undefined}>
          {t('common.export.menu')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {FORMATS.map((format) => (
          <Menu.Item key={format} component="a" href={href(format)} download data-testid={`${testId}-${format}`}>
            {t(`common.export.${format}`)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
