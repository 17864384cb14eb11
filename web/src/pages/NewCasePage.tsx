import { Alert, Anchor, Button, Checkbox, CloseButton, Group, Loader, NativeSelect, Paper, Radio, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CASE_KINDS, CASES_KEY, MEMBER_ROLES, type CaseKind, type MemberRole, type NewCase, caseKey, casesApi } from '../api/cases';
import { ApiError, detailText, fieldError } from '../api/client';
import { useCountries, useCountryName } from '../api/queries';
import { PERSONS_KEY, registryApi } from '../api/registry';
import type { PersonListItem } from '../api/registryTypes';
import { ErrorAlert } from '../components/ErrorAlert';
import { LoadMore } from '../components/LoadMore';
import { PageTitle } from '../components/PageTitle';
import { useRegistryFormat } from '../components/registryFormat';
import { CASES_PATH, casePath } from '../navigation';
import { currentQuery, navigate, onLinkClick } from '../router/router';

const PAGE_SIZE = 20;
const MAX_MEMBERS = 50;
const TYPING_PAUSE_MS = 300;

interface Chosen {
  readonly person: PersonListItem;
  readonly role: MemberRole;
}

/** A first guess at the person's role: a child is a child, an adult woman in a family the mother. */
function guessRole(person: PersonListItem, kind: CaseKind, chosen: readonly Chosen[]): MemberRole {
  if (kind === 'individual') return 'principal';
  if (person.kind !== 'adult') return 'child';
  if (person.sex === 'female' && !chosen.some((c) => c.role === 'mother')) return 'mother';
  if (person.sex === 'male' && !chosen.some((c) => c.role === 'father')) return 'father';
  return 'member';
}

/** Opening a case: the country of return, one person or a family group, found in the registry and given their roles. */
export function NewCasePage() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const format = useRegistryFormat();
  const countries = useCountries();
  const countryName = useCountryName();
  const [countryCode, setCountryCode] = useState(() => {
    const code = currentQuery().get('country') ?? '';
    return /^[A-Z]{3}$/.test(code) ? code : '';
  });
  const [kind, setKind] = useState<CaseKind>('individual');
  const [title, setTitle] = useState('');
  const [draft, setDraft] = useState('');
  const [onlyNationals, setOnlyNationals] = useState(true);
  const [q] = useDebouncedValue(draft, TYPING_PAUSE_MS);
  const [chosen, setChosen] = useState<readonly Chosen[]>([]);
  const [missing, setMissing] = useState<ReadonlySet<'country' | 'people'>>(new Set());

  const countryOptions = useMemo(() => {
    const collator = new Intl.Collator(i18n.language);
    return (countries.data ?? []).map((c) => ({ value: c.code, label: countryName(c.code, countries.data) })).sort((a, b) => collator.compare(a.label, b.label));
  }, [countries.data, countryName, i18n.language]);

  const nationality = onlyNationals && countryCode ? countryCode : undefined;
  const searching = q.trim() !== '' || nationality !== undefined;
  const candidates = useInfiniteQuery({
    queryKey: [...PERSONS_KEY, 'search', { q, nationality, for: 'case' }],
    queryFn: ({ pageParam }) => registryApi.search({ q, nationality }, pageParam, PAGE_SIZE),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    placeholderData: keepPreviousData,
    enabled: searching,
  });

  const open = useMutation({
    mutationFn: (input: NewCase) => casesApi.open(input),
    onSuccess: (created) => {
      client.setQueryData(caseKey(created.id), created);
      void client.invalidateQueries({ queryKey: CASES_KEY });
      navigate(casePath(created.id));
    },
  });

  /** The server's words about each person it refused ("body.members.N.personId"), by person. */
  const problems = new Map<string, string>();
  if (open.error instanceof ApiError && open.variables) {
    for (const d of open.error.details) {
      const index = /^body\.members\.(\d+)/.exec(d.path)?.[1];
      const id = index === undefined ? undefined : open.variables.members[Number(index)]?.personId;
      if (id) problems.set(id, detailText(d));
    }
  }

  const isChosen = (id: string) => chosen.some((c) => c.person.id === id);
  const toggle = (person: PersonListItem, on: boolean) => {
    setMissing((m) => new Set([...m].filter((k) => k !== 'people')));
    setChosen((current) => {
      if (!on) return current.filter((c) => c.person.id !== person.id);
      if (current.some((c) => c.person.id === person.id)) return current;
      // An individual case has one person: choosing another replaces them.
      if (kind === 'individual') return [{ person, role: 'principal' }];
      return [...current, { person, role: guessRole(person, kind, current) }];
    });
  };
  const chooseKind = (next: CaseKind) => {
    setKind(next);
    setChosen((current) => (next === 'individual' ? current.slice(0, 1).map((c) => ({ ...c, role: 'principal' as const })) : current.map((c, i) => ({ ...c, role: guessRole(c.person, next, current.slice(0, i)) }))));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const gaps = new Set<'country' | 'people'>();
    if (!countryCode) gaps.add('country');
    if (chosen.length === 0) gaps.add('people');
    setMissing(gaps);
    if (gaps.size > 0 || chosen.length > MAX_MEMBERS) return;
    open.mutate({ countryCode, kind, ...(title.trim() ? { title: title.trim() } : {}), members: chosen.map((c) => ({ personId: c.person.id, role: c.role })) });
  };

  const rows = candidates.data?.pages.flatMap((p) => p.data) ?? [];
  const shownByPerson = open.error instanceof ApiError && problems.size > 0;

  return (
    <form onSubmit={submit} noValidate data-testid="case-new-page">
      <Stack gap="md">
        <Anchor href={CASES_PATH} onClick={onLinkClick(CASES_PATH)} size="sm">
          {t('cases.back')}
        </Anchor>
        <PageTitle>{t('cases.open')}</PageTitle>
        <Text>{t('cases.new.intro')}</Text>
        <Paper withBorder p="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <NativeSelect
              label={t('cases.new.country')}
              description={t('cases.new.countryHint')}
              required
              value={countryCode}
              onChange={(e) => {
                setCountryCode(e.currentTarget.value);
                setMissing((m) => new Set([...m].filter((k) => k !== 'country')));
              }}
              data={[{ value: '', label: t('identification.chooseCountry') }, ...countryOptions]}
              error={missing.has('country') ? t('common.required') : fieldError(open.error, 'countryCode')}
              data-testid="case-new-country"
            />
            <Radio.Group label={t('cases.new.kind')} value={kind} onChange={(v) => chooseKind(v as CaseKind)} data-testid="case-new-kind">
              <Stack gap={4} mt={4}>
                {CASE_KINDS.map((k) => (
                  <Radio key={k} value={k} label={t(`cases.kinds.${k}`)} description={t(`cases.new.kindHints.${k}`)} data-testid={`case-new-kind-${k}`} />
                ))}
              </Stack>
            </Radio.Group>
          </SimpleGrid>
          <TextInput mt="md" label={t('cases.new.title')} description={t('cases.new.titleHint')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={300} attributes={{ input: { dir: 'auto' } }} error={fieldError(open.error, 'title')} data-testid="case-new-title" />
        </Paper>

        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="sm">
            {t('cases.new.people')}
          </Title>
          <Group align="flex-end" gap="md" wrap="wrap" mb="sm">
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
              data-testid="case-new-search"
            />
            <Checkbox label={t('cases.new.onlyNationals')} checked={onlyNationals} disabled={!countryCode} onChange={(e) => setOnlyNationals(e.currentTarget.checked)} mb={8} data-testid="case-new-only-nationals" />
          </Group>
          {!searching ? (
            <Text c="dimmed" size="sm" data-testid="case-new-search-hint">
              {t('cases.new.searchHint')}
            </Text>
          ) : candidates.isPending ? (
            <Loader aria-label={t('common.loading')} />
          ) : candidates.isError ? (
            <ErrorAlert error={candidates.error} />
          ) : (
            <>
              <Table.ScrollContainer minWidth={640} maxHeight="26rem">
                <Table stickyHeader striped highlightOnHover data-testid="case-new-candidates" data-ready={candidates.isPlaceholderData || candidates.isFetching ? undefined : 'true'}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th aria-label={t('identification.choose')} />
                      <Table.Th>{t('registry.name')}</Table.Th>
                      <Table.Th>{t('registry.latinName')}</Table.Th>
                      <Table.Th>{t('registry.kind')}</Table.Th>
                      <Table.Th>{t('registry.age')}</Table.Th>
                      <Table.Th>{t('registry.sex')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((person) => {
                      const id = `case-candidate-${person.id}`;
                      return (
                        <Table.Tr key={person.id} data-testid="case-candidate" data-person-id={person.id}>
                          <Table.Td>
                            <Checkbox id={id} checked={isChosen(person.id)} onChange={(e) => toggle(person, e.currentTarget.checked)} aria-label={person.latinName} data-testid="case-candidate-tick" />
                          </Table.Td>
                          <Table.Td dir="auto" className="hw-name">
                            <label htmlFor={id}>
                              <Text fw={600} span>
                                {person.displayName}
                              </Text>
                            </label>
                          </Table.Td>
                          <Table.Td dir="ltr" className="hw-name">
                            {person.latinName}
                          </Table.Td>
                          <Table.Td>{t(`registry.kinds.${person.kind}`)}</Table.Td>
                          <Table.Td className="hw-nowrap">{format.age(person.age)}</Table.Td>
                          <Table.Td>{t(`registry.sexes.${person.sex}`)}</Table.Td>
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
        </Paper>

        <Paper withBorder p="md" data-testid="case-new-chosen" data-count={chosen.length}>
          <Title order={2} size="h4" mb="sm">
            {t('cases.new.chosen', { count: chosen.length })}
          </Title>
          {chosen.length === 0 ? (
            <Text c={missing.has('people') ? 'red' : 'dimmed'} data-testid="case-new-none">
              {t('cases.new.none')}
            </Text>
          ) : (
            <Stack gap="xs">
              {chosen.map((c) => (
                <Group key={c.person.id} gap="sm" wrap="nowrap" align="flex-start" data-testid="case-new-member" data-person-id={c.person.id}>
                  <CloseButton size="sm" mt={4} onClick={() => toggle(c.person, false)} aria-label={t('identification.remove', { name: `\u2068${c.person.latinName}\u2069` })} />
                  <div className="hw-grow">
                    <Text size="sm" dir="auto" className="hw-name">
                      <Text span fw={600}>
                        {c.person.displayName}
                      </Text>{' '}
                      <Text span c="dimmed" dir="ltr">
                        ({c.person.latinName})
                      </Text>
                    </Text>
                    {problems.get(c.person.id) && (
                      <Text size="sm" c="red" data-testid="case-new-problem">
                        {problems.get(c.person.id)}
                      </Text>
                    )}
                  </div>
                  <NativeSelect
                    size="xs"
                    aria-label={t('cases.new.role')}
                    value={c.role}
                    disabled={kind === 'individual'}
                    onChange={(e) => {
                      const role = e.currentTarget.value as MemberRole;
                      setChosen((all) => all.map((x) => (x.person.id === c.person.id ? { ...x, role } : x)));
                    }}
                    data={MEMBER_ROLES.map((r) => ({ value: r, label: t(`cases.memberRoles.${r}`) }))}
                    data-testid="case-new-member-role"
                  />
                </Group>
              ))}
            </Stack>
          )}
        </Paper>

        {open.error && shownByPerson && (
          <Alert color="red" role="alert" data-testid="case-new-refused" lang={i18n.language}>
            {t('cases.new.refused')}
          </Alert>
        )}
        {open.error && !shownByPerson && <ErrorAlert error={open.error} testId="case-new-error" />}
        <Group justify="flex-end">
          <Button type="submit" loading={open.isPending} data-testid="case-new-submit">
            {t('cases.open')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
