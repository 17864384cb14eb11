import { Badge, Group, Loader, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { adminApi } from '../api/admin';
import { useCountries, useCountryName } from '../api/queries';
import type { UserListItem } from '../api/types';
import { ErrorAlert } from './ErrorAlert';
import { ExportMenu } from './ExportMenu';
import { LoadMore } from './LoadMore';

export const USERS_KEY = ['users'] as const;

function Status({ user }: { readonly user: UserListItem }) {
  const { t } = useTranslation();
  if (!user.locked && !user.disabled) {
    return (
      <Badge color="teal" variant="light" className="hw-badge">
        {t('users.active')}
      </Badge>
    );
  }
  return (
    <Group gap={4} wrap="nowrap">
      {user.locked && (
        <Badge color="orange" className="hw-badge">
          {t('users.locked')}
        </Badge>
      )}
      {user.disabled && (
        <Badge color="gray" className="hw-badge">
          {t('users.disabled')}
        </Badge>
      )}
    </Group>
  );
}

/** All users, a page at a time. */
export function UsersTable() {
  const { t } = useTranslation();
  const countries = useCountries();
  const countryName = useCountryName();
  const users = useInfiniteQuery({
    queryKey: USERS_KEY,
    queryFn: ({ pageParam }) => adminApi.users(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });

  if (users.isPending) return <Loader aria-label={t('common.loading')} />;
  if (users.isError) return <ErrorAlert error={users.error} />;
  const rows = users.data.pages.flatMap((page) => page.data);

  return (
    <>
      <Group justify="flex-end" mb="sm">
        <ExportMenu url="/api/v1/users/export" testId="users-export" list={t('users.title')} />
      </Group>
      <Table.ScrollContainer minWidth={800}>
        <Table striped highlightOnHover data-testid="users-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('users.username')}</Table.Th>
              <Table.Th>{t('users.displayName')}</Table.Th>
              <Table.Th>{t('users.role')}</Table.Th>
              <Table.Th>{t('users.agency')}</Table.Th>
              <Table.Th>{t('users.country')}</Table.Th>
              <Table.Th>{t('users.twoFactor')}</Table.Th>
              <Table.Th>{t('users.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((user) => (
              <Table.Tr key={user.id} data-testid="users-row">
                <Table.Td>
                  <bdi>{user.username}</bdi>
                </Table.Td>
                <Table.Td>{user.displayName}</Table.Td>
                <Table.Td>{t(`roles.${user.role}`)}</Table.Td>
                <Table.Td>{user.agency?.name ?? t('common.none')}</Table.Td>
                <Table.Td>{user.countryCode ? countryName(user.countryCode, countries.data) : t('common.none')}</Table.Td>
                <Table.Td>{user.totpEnabled ? t('users.on') : t('users.off')}</Table.Td>
                <Table.Td>
                  <Status user={user} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {rows.length === 0 && (
        <Text c="dimmed" mt="sm">
          {t('users.empty')}
        </Text>
      )}
      <LoadMore
        hasMore={users.hasNextPage}
        loading={users.isFetchingNextPage}
        onLoad={() => void users.fetchNextPage()}
        testId="users-load-more"
      />
    </>
  );
}
