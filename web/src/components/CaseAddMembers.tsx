import { Checkbox, CloseButton, Group, Loader, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Case, MEMBER_ROLES, type MemberRole, type NewCase, caseKey, casesApi } from '../api/cases';
import { ApiError, detailText } from '../api/client';
import { PERSONS_KEY, registryApi } from '../api/registry';
import type { PersonListItem } from '../api/registryTypes';
import { CaseFormModal, useCaseWrite } from './CaseForm';
import { ErrorAlert } from './ErrorAlert';
import { LoadMore } from './LoadMore';
import { useRegistryFormat } from './registryFormat';

const PAGE_SIZE = 20;
const MAX_MEMBERS = 50;
const TYPING_PAUSE_MS = 300;

interface Chosen {
  readonly person: PersonListItem;
  readonly role: MemberRole;
}

/** A first guess at the newcomer's role, given who is on the case already. */
function guessRole(person: PersonListItem, c: Case, chosen: readonly Chosen[]): MemberRole {
  if (person.kind !== 'adult') return 'child';
  const taken = new Set<MemberRole>([...c.members.filter((m) => !m.left).map((m) => m.role), ...chosen.map((x) => x.role)]);
  if (person.sex === 'female' && !taken.has('mother')) return 'mother';
  if (person.sex === 'male' && !taken.has('father')) return 'father';
  return 'member';
}

/** Adds people found in the registry to a family case (before it is scheduled), each with their role; sent with the case version read (If-Match). */
export function AddMembersForm({ c, onClose }: { readonly c: Case; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const format = useRegistryFormat();
  const [version] = useState(c.version);
  const [draft, setDraft] = useState('');
  const [onlyNationals, setOnlyNationals] = useState(true);
  const [q] = useDebouncedValue(draft, TYPING_PAUSE_MS);
  const [chosen, setChosen] = useState<readonly Chosen[]>([]);
  const [missing, setMissing] = useState(false);
  const nationality = onlyNationals ? c.countryCode : undefined;
  const candidates = useInfiniteQuery({
    queryKey: [...PERSONS_KEY, 'search', { q, nationality, for: 'case-members' }],
    queryFn: ({ pageParam }) => registryApi.search({ q, nationality }, pageParam, PAGE_SIZE),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    placeholderData: keepPreviousData,
    enabled: q.trim() !== '',
  });
  const write = useCaseWrite(c.id, (members: NewCase['members']) => casesApi.addMembers(c.id, version, members), onClose);
  const onCase = new Set(c.members.filter((m) => !m.left).map((m) => m.personId));

  /** The server's words about each person it refused ("body.members.N.personId"), by person. */
  const problems = new Map<string, string>();
  const error = write.mutation.error;
  if (error instanceof ApiError && write.mutation.variables) {
    for (const d of error.details) {
      const index = /^body\.members\.(\d+)/.exec(d.path)?.[1];
      const id = index === undefined ? undefined : write.mutation.variables[Number(index)]?.personId;
      if (id) problems.set(id, detailText(d));
    }
  }
  const toggle = (person: PersonListItem, on: boolean) => {
    setMissing(false);
    setChosen((current) => {
      if (!on) return current.filter((x) => x.person.id !== person.id);
      if (current.some((x) => x.person.id === person.id)) return current;
      return [...current, { person, role: guessRole(person, c, current) }];
    });
  };
  const submit = () => {
    if (chosen.length === 0) {
      setMissing(true);
      return;
    }
    if (chosen.length > MAX_MEMBERS) return;
    write.mutation.mutate(chosen.map((x) => ({ personId: x.person.id, role: x.role })));
  };
  const rows = candidates.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <CaseFormModal
      title={t('cases.members.addTitle')}
      testId="add-members-form"
      size="xl"
      onClose={onClose}
      onSubmit={submit}
      pending={write.mutation.isPending}
      error={write.mutation.error}
      submitLabel={t('cases.members.addSubmit')}
      onReload={() => void client.refetchQueries({ queryKey: caseKey(c.id) }).then(onClose)}
      shownByFields={/^members/}
    >
      <Text size="sm">{t('cases.members.addHint')}</Text>
      <Group align="flex-end" gap="md" wrap="wrap">
        <TextInput
          className="hw-wide-input"
          type="search"
          label={t('registry.search')}
          placeholder={t('registry.searchPlaceholder')}
          value={draft}
          onChange={(e) => setDraft(e.currentTarget.value)}
          attributes={{ input: { dir: 'auto' } }}
          spellCheck={false}
          autoComplete="off"
          maxLength={200}
          data-autofocus
          data-testid="add-members-search"
        />
        <Checkbox label={t('cases.new.onlyNationals')} checked={onlyNationals} onChange={(e) => setOnlyNationals(e.currentTarget.checked)} mb={8} data-testid="add-members-only-nationals" />
      </Group>
      {q.trim() === '' ? (
        <Text c="dimmed" size="sm">
          {t('cases.members.searchHint')}
        </Text>
      ) : candidates.isPending ? (
        <Loader size="sm" aria-label={t('common.loading')} />
      ) : candidates.isError ? (
        <ErrorAlert error={candidates.error} />
      ) : (
        <>
          <Table.ScrollContainer minWidth={560} maxHeight="20rem">
            <Table stickyHeader striped highlightOnHover fz="sm" data-testid="add-members-candidates" data-ready={candidates.isPlaceholderData || candidates.isFetching ? undefined : 'true'}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th aria-label={t('identification.choose')} />
                  <Table.Th>{t('registry.name')}</Table.Th>
                  <Table.Th>{t('registry.latinName')}</Table.Th>
                  <Table.Th>{t('registry.kind')}</Table.Th>
                  <Table.Th>{t('registry.age')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((person) => {
                  const id = `add-member-${person.id}`;
                  const already = onCase.has(person.id);
                  return (
                    <Table.Tr key={person.id} data-testid="add-members-candidate" data-person-id={person.id} data-on-case={String(already)}>
                      <Table.Td>
                        <Checkbox
                          id={id}
                          checked={already || chosen.some((x) => x.person.id === person.id)}
                          disabled={already}
                          onChange={(e) => toggle(person, e.currentTarget.checked)}
                          aria-label={person.latinName}
                          data-testid="add-members-tick"
                        />
                      </Table.Td>
                      <Table.Td dir="auto" className="hw-name">
                        <label htmlFor={id}>
                          <Text fw={600} span size="sm">
                            {person.displayName}
                          </Text>
                        </label>
                        {already && (
                          <Text size="xs" c="dimmed">
                            {t('cases.members.alreadyOnCase')}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td dir="ltr" className="hw-name">
                        {person.latinName}
                      </Table.Td>
                      <Table.Td>{t(`registry.kinds.${person.kind}`)}</Table.Td>
                      <Table.Td className="hw-nowrap">{format.age(person.age)}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {rows.length === 0 && !candidates.isPlaceholderData && (
            <Text c="dimmed" size="sm">
              {t('identification.noCandidates')}
            </Text>
          )}
          {rows.length > 0 && <LoadMore hasMore={candidates.hasNextPage} loading={candidates.isFetchingNextPage} onLoad={() => void candidates.fetchNextPage()} />}
        </>
      )}
      <Stack gap="xs" data-testid="add-members-chosen" data-count={chosen.length}>
        <Text size="sm" fw={600}>
          {t('cases.members.chosen', { count: chosen.length })}
        </Text>
        {chosen.length === 0 ? (
          <Text size="sm" c={missing ? 'red' : 'dimmed'} data-testid="add-members-none">
            {t('cases.members.noneChosen')}
          </Text>
        ) : (
          chosen.map((x) => (
            <Group key={x.person.id} gap="sm" wrap="nowrap" align="flex-start" data-testid="add-members-member" data-person-id={x.person.id}>
              <CloseButton size="sm" mt={4} onClick={() => toggle(x.person, false)} aria-label={t('identification.remove', { name: `\u2068${x.person.latinName}\u2069` })} />
              <div className="hw-grow">
                <Text size="sm" dir="auto" className="hw-name">
                  <Text span fw={600}>
                    {x.person.displayName}
                  </Text>{' '}
                  <Text span c="dimmed" dir="ltr">
                    ({x.person.latinName})
                  </Text>
                </Text>
                {problems.get(x.person.id) && (
                  <Text size="sm" c="red" data-testid="add-members-problem">
                    {problems.get(x.person.id)}
                  </Text>
                )}
              </div>
              <NativeSelect
                size="xs"
                aria-label={t('cases.new.role')}
                value={x.role}
                onChange={(e) => {
                  const role = e.currentTarget.value as MemberRole;
                  setChosen((all) => all.map((y) => (y.person.id === x.person.id ? { ...y, role } : y)));
                }}
                data={MEMBER_ROLES.map((r) => ({ value: r, label: t(`cases.memberRoles.${r}`) }))}
                data-testid="add-members-role"
              />
            </Group>
          ))
        )}
      </Stack>
    </CaseFormModal>
  );
}
