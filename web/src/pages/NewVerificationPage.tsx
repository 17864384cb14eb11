import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  CloseButton,
  Group,
  Loader,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type ErrorDetail, detailText, fieldError } from '../api/client';
import { type NewVerificationRequest, VERIFICATION_KEY, identificationApi, verificationKey } from '../api/identification';
import { useCountries, useCountryName } from '../api/queries';
import { PERSONS_KEY, registryApi } from '../api/registry';
import { PERSON_KINDS, type PersonListItem, type PersonKind } from '../api/registryTypes';
import { CategoryNote } from '../components/CategoryNote';
import { ErrorAlert } from '../components/ErrorAlert';
import { LoadMore } from '../components/LoadMore';
import { PageTitle } from '../components/PageTitle';
import { useRegistryFormat } from '../components/registryFormat';
import { isolate } from '../components/VerificationStatus';
import { IDENTIFICATION_PATH, verificationPath } from '../navigation';
import { currentQuery, navigate, onLinkClick } from '../router/router';

/** The registry's page size: "all on this page" ticks at most this many at once. */
const PAGE_SIZE = 50;
/** The server takes at most this many people on one request. */
const MAX_PEOPLE = 500;
/** The mission is given a month unless the coordinator says otherwise. */
const DEFAULT_DAYS = 30;
const TYPING_PAUSE_MS = 300;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function localDay(offsetDays: number): string {
  const day = new Date();
  day.setDate(day.getDate() + offsetDays);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

/**
 * The server's reasons a person cannot be sent, said in the user's language: its details name the
 * person by position ("body.personIds.3") and carry no code for these rules, so they are known by their words.
 */
const PROBLEM_KEYS = [
  [/withheld from their embassy/, 'withheld'],
  [/does not claim the nationality/, 'noClaim'],
  [/already found not to be a national/, 'rejected'],
] as const;

function useProblemText(): (detail: ErrorDetail) => string {
  const { t } = useTranslation();
  return (detail) => {
    const known = detail.code ? undefined : PROBLEM_KEYS.find(([pattern]) => pattern.test(detail.message));
    return known ? t(`identification.problems.${known[1]}`) : detailText(detail);
  };
}

/** Which person each "body.personIds.N" detail of a refusal names, with its words. */
function problemsByPerson(error: unknown, sent: NewVerificationRequest | undefined, text: (d: ErrorDetail) => string): ReadonlyMap<string, string> {
  const problems = new Map<string, string>();
  if (!(error instanceof ApiError) || !sent) return problems;
  for (const detail of error.details) {
    const index = /^body\.personIds\.(\d+)$/.exec(detail.path)?.[1];
    const id = index === undefined ? undefined : sent.personIds[Number(index)];
    if (id) problems.set(id, text(detail));
  }
  return problems;
}

interface CandidateSearch {
  readonly q: string;
  readonly kind: PersonKind | '';
}

/** A new verification request: a country, the people who claim its nationality, a due date and a note. */
export function NewVerificationPage() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const format = useRegistryFormat();
  const countries = useCountries();
  const countryName = useCountryName();
  const problemText = useProblemText();
  const [countryCode, setCountryCode] = useState(() => {
    const code = currentQuery().get('country') ?? '';
    return /^[A-Z]{3}$/.test(code) ? code : '';
  });
  const [dueOn, setDueOn] = useState(() => localDay(DEFAULT_DAYS));
  const [note, setNote] = useState('');
  const [draft, setDraft] = useState<CandidateSearch>({ q: '', kind: '' });
  const [search] = useDebouncedValue(draft, TYPING_PAUSE_MS);
  /** The people ticked, in the order they were ticked. */
  const [selected, setSelected] = useState<ReadonlyMap<string, PersonListItem>>(new Map());
  const [missing, setMissing] = useState<ReadonlySet<'country' | 'people' | 'dueOn'>>(new Set());

  const countryOptions = useMemo(() => {
    const collator = new Intl.Collator(i18n.language);
    return (countries.data ?? [])
      .map((c) => ({ value: c.code, label: countryName(c.code, countries.data) }))
      .sort((a, b) => collator.compare(a.label, b.label));
  }, [countries.data, countryName, i18n.language]);

  const candidates = useInfiniteQuery({
    queryKey: [...PERSONS_KEY, 'search', { nationality: countryCode, ...search, for: 'verification' }],
    queryFn: ({ pageParam }) => registryApi.search({ nationality: countryCode, q: search.q, kind: search.kind }, pageParam, PAGE_SIZE),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    placeholderData: keepPreviousData,
    enabled: countryCode !== '',
  });

  const send = useMutation({
    mutationFn: (input: NewVerificationRequest) => identificationApi.send(input),
    onSuccess: (created) => {
      client.setQueryData(verificationKey(created.id), created);
      void client.invalidateQueries({ queryKey: VERIFICATION_KEY });
      navigate(verificationPath(created.id));
    },
  });
  const problems = problemsByPerson(send.error, send.variables, problemText);
  const refused = send.error instanceof ApiError && send.error.code === 'not_verifiable' && problems.size > 0;

  const rows = candidates.data?.pages.flatMap((page) => page.data) ?? [];
  const ticked = rows.filter((row) => selected.has(row.id)).length;

  const toggle = (person: PersonListItem, on: boolean) =>
    setSelected((current) => {
      const next = new Map(current);
      if (on) next.set(person.id, person);
      else next.delete(person.id);
      return next;
    });
  const toggleAll = (on: boolean) =>
    setSelected((current) => {
      const next = new Map(current);
      for (const row of rows) {
        if (on) next.set(row.id, row);
        else next.delete(row.id);
      }
      return next;
    });
  const removeRefused = () =>
    setSelected((current) => new Map([...current].filter(([id]) => !problems.has(id))));
  const chooseCountry = (code: string) => {
    setCountryCode(code);
    // People chosen for one country's mission are not the next one's.
    setSelected(new Map());
    setMissing((m) => new Set([...m].filter((k) => k !== 'country')));
    send.reset();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const gaps = new Set<'country' | 'people' | 'dueOn'>();
    if (!countryCode) gaps.add('country');
    if (selected.size === 0) gaps.add('people');
    if (!ISO_DAY.test(dueOn)) gaps.add('dueOn');
    setMissing(gaps);
    if (gaps.size > 0 || selected.size > MAX_PEOPLE) return;
    send.mutate({ countryCode, personIds: [...selected.keys()], dueOn, ...(note.trim() ? { note: note.trim() } : {}) });
  };

  const selectedList = [...selected.values()];
  const dueError = missing.has('dueOn') ? t('common.required') : fieldError(send.error, 'dueOn');

  return (
    <form onSubmit={submit} noValidate data-testid="verification-new-page">
      <Stack gap="md">
        <Anchor href={IDENTIFICATION_PATH} onClick={onLinkClick(IDENTIFICATION_PATH)} size="sm">
          {t('identification.back')}
        </Anchor>
        <PageTitle>{t('identification.newRequest')}</PageTitle>
        <Text>{t('identification.newIntro')}</Text>
        <CategoryNote shared categories={['identity']} />

        <Paper withBorder p="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <NativeSelect
              label={t('identification.country')}
              description={t('identification.countryHint')}
              required
              value={countryCode}
              onChange={(event) => chooseCountry(event.currentTarget.value)}
              data={[{ value: '', label: t('identification.chooseCountry') }, ...countryOptions]}
              error={missing.has('country') ? t('common.required') : fieldError(send.error, 'countryCode')}
              data-testid="verification-country"
            />
            <TextInput
              type="date"
              label={t('identification.dueOn')}
              description={t('identification.dueOnHint')}
              required
              value={dueOn}
              min={localDay(0)}
              onChange={(event) => setDueOn(event.currentTarget.value)}
              error={dueError}
              data-testid="verification-due-on"
            />
          </SimpleGrid>
          <Textarea
            mt="md"
            label={t('identification.note')}
            description={t('identification.noteHint')}
            value={note}
            onChange={(event) => setNote(event.currentTarget.value)}
            maxLength={2000}
            autosize
            minRows={2}
            attributes={{ input: { dir: 'auto' } }}
            error={fieldError(send.error, 'note')}
            data-testid="verification-note"
          />
        </Paper>

        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="sm">
            {t('identification.people')}
          </Title>
          {!countryCode ? (
            <Text c="dimmed" data-testid="verification-choose-country-first">
              {t('identification.chooseCountryFirst')}
            </Text>
          ) : (
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
                <TextInput
                  type="search"
                  label={t('registry.search')}
                  placeholder={t('registry.searchPlaceholder')}
                  value={draft.q}
                  onChange={(event) => {
                    const q = event.currentTarget.value;
                    setDraft((d) => ({ ...d, q }));
                  }}
                  attributes={{ input: { dir: 'auto' } }}
                  spellCheck={false}
                  autoComplete="off"
                  maxLength={200}
                  data-testid="verification-search"
                />
                <NativeSelect
                  label={t('registry.kind')}
                  value={draft.kind}
                  onChange={(event) => {
                    const kind = event.currentTarget.value as PersonKind | '';
                    setDraft((d) => ({ ...d, kind }));
                  }}
                  data={[{ value: '', label: t('registry.any') }, ...PERSON_KINDS.map((k) => ({ value: k, label: t(`registry.kinds.${k}`) }))]}
                  data-testid="verification-filter-kind"
                />
              </SimpleGrid>
              {candidates.isPending ? (
                <Loader aria-label={t('common.loading')} />
              ) : candidates.isError ? (
                <ErrorAlert error={candidates.error} testId="verification-candidates-error" />
              ) : (
                <>
                  <Checkbox
                    label={t('identification.allOnPage')}
                    checked={rows.length > 0 && ticked === rows.length}
                    indeterminate={ticked > 0 && ticked < rows.length}
                    disabled={rows.length === 0}
                    onChange={(event) => toggleAll(event.currentTarget.checked)}
                    data-testid="verification-all-on-page"
                  />
                  {/* A page of 50 people scrolls in place: the selection and "Send" stay in reach below it. */}
                  <Table.ScrollContainer minWidth={700} maxHeight="32rem">
                    <Table
                      stickyHeader
                      striped
                      highlightOnHover
                      data-testid="verification-candidates"
                      aria-busy={candidates.isPlaceholderData || undefined}
                      data-ready={candidates.isPlaceholderData || candidates.isFetching ? undefined : 'true'}
                    >
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th aria-label={t('identification.choose')} />
                          <Table.Th>{t('registry.name')}</Table.Th>
                          <Table.Th>{t('registry.latinName')}</Table.Th>
                          <Table.Th>{t('registry.kind')}</Table.Th>
                          <Table.Th>{t('registry.age')}</Table.Th>
                          <Table.Th>{t('registry.sex')}</Table.Th>
                          <Table.Th>{t('identification.birthDate')}</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {rows.map((person) => {
                          const problem = problems.get(person.id);
                          const id = `candidate-${person.id}`;
                          return (
                            <Table.Tr key={person.id} data-testid="candidate-row" data-person-id={person.id} data-problem={problem ? 'true' : undefined}>
                              <Table.Td>
                                <Checkbox
                                  id={id}
                                  checked={selected.has(person.id)}
                                  onChange={(event) => toggle(person, event.currentTarget.checked)}
                                  aria-label={person.latinName}
                                  data-testid="candidate-tick"
                                />
                              </Table.Td>
                              <Table.Td dir="auto" className="hw-name">
                                <label htmlFor={id}>
                                  <Text fw={600} span>
                                    {person.displayName}
                                  </Text>
                                </label>
                                {problem && (
                                  <Text size="sm" c="red" data-testid="candidate-problem">
                                    {problem}
                                  </Text>
                                )}
                              </Table.Td>
                              <Table.Td dir="ltr" className="hw-name">
                                {person.latinName}
                              </Table.Td>
                              <Table.Td>{t(`registry.kinds.${person.kind}`)}</Table.Td>
                              <Table.Td className="hw-nowrap">{format.age(person.age)}</Table.Td>
                              <Table.Td>{t(`registry.sexes.${person.sex}`)}</Table.Td>
                              <Table.Td>{format.birthDate(person.birthDate)}</Table.Td>
                            </Table.Tr>
                          );
                        })}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                  {rows.length === 0 && !candidates.isPlaceholderData && (
                    <Text c="dimmed" data-testid="verification-candidates-empty">
                      {t('identification.noCandidates')}
                    </Text>
                  )}
                  {rows.length > 0 && (
                    <LoadMore
                      hasMore={candidates.hasNextPage}
                      loading={candidates.isFetchingNextPage}
                      onLoad={() => void candidates.fetchNextPage()}
                      testId="verification-candidates-more"
                    />
                  )}
                </>
              )}
            </Stack>
          )}
        </Paper>

        <Paper withBorder p="md" data-testid="verification-selected" data-count={selected.size}>
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4">
              {t('identification.selected', { count: selected.size })}
            </Title>
            {selected.size > 0 && (
              <Button variant="subtle" size="compact-sm" onClick={() => setSelected(new Map())} data-testid="verification-clear-selection">
                {t('identification.clearSelection')}
              </Button>
            )}
          </Group>
          {selectedList.length === 0 ? (
            <Text c={missing.has('people') ? 'red' : 'dimmed'} data-testid="verification-none-selected">
              {t('identification.noneSelected')}
            </Text>
          ) : (
            <Stack gap={6}>
              {selectedList.map((person) => {
                const problem = problems.get(person.id);
                return (
                  <Group key={person.id} gap="xs" wrap="nowrap" align="flex-start" data-testid="selected-person" data-person-id={person.id}>
                    <CloseButton
                      size="sm"
                      onClick={() => toggle(person, false)}
                      aria-label={t('identification.remove', { name: isolate(person.latinName) })}
                      data-testid="selected-remove"
                    />
                    <div>
                      <Text size="sm" dir="auto" className="hw-name">
                        <Text span fw={600}>
                          {person.displayName}
                        </Text>{' '}
                        <Text span c="dimmed" dir="ltr">
                          ({person.latinName})
                        </Text>
                      </Text>
                      {problem && (
                        <Text size="sm" c="red" data-testid="selected-problem">
                          {problem}
                        </Text>
                      )}
                    </div>
                  </Group>
                );
              })}
            </Stack>
          )}
          {selected.size > MAX_PEOPLE && (
            <Alert color="red" mt="sm" data-testid="verification-too-many">
              {t('identification.tooMany', { max: MAX_PEOPLE })}
            </Alert>
          )}
        </Paper>

        {refused && (
          <Alert color="red" role="alert" data-testid="verification-refused" lang={i18n.language}>
            <Text size="sm">{t('identification.refused', { count: problems.size })}</Text>
            <Button mt="sm" size="compact-sm" variant="light" color="red" onClick={removeRefused} data-testid="verification-remove-refused">
              {t('identification.removeRefused')}
            </Button>
          </Alert>
        )}
        {send.error && !refused && <ErrorAlert error={send.error} testId="verification-send-error" />}

        <Group justify="flex-end">
          <Badge variant="light" size="lg" data-testid="verification-selected-count">
            {t('identification.selected', { count: selected.size })}
          </Badge>
          <Button type="submit" loading={send.isPending} data-testid="verification-send">
            {t('identification.send')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
