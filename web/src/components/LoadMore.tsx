import { Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface LoadMoreProps {
  readonly hasMore: boolean;
  readonly loading: boolean;
  readonly onLoad: () => void;
  readonly testId?: string;
}

/** The "Load more" button under a cursor-paged list. */
export function LoadMore({ hasMore, loading, onLoad, testId }: LoadMoreProps) {
  const { t } = useTranslation();
  return (
    <Group justify="center" mt="md">
      {hasMore ? (
        <Button variant="light" onClick={onLoad} loading={loading} data-testid={testId}>
          {t('common.loadMore')}
        </Button>
      ) : (
        <Text size="sm" c="dimmed">
          {t('common.noMore')}
        </Text>
      )}
    </Group>
  );
}
