import { Alert, Anchor, Button, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import {
  VERIFICATION_ANSWERS,
  VERIFICATION_KEY,
  type VerificationAnswer,
  type VerificationAnswerInput,
  type VerificationItem,
  type VerificationRequestDetail,
  identificationApi,
  isSettled,
  verificationKey,
} from '../api/identification';
import { useCountries, useCountryName } from '../api/queries';
import { PERSONS_KEY } from '../api/registry';
import type { User } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageTitle } from '../components/PageTitle';
import { useRegistryFormat } from '../components/registryFormat';
import { AnswerBadge, RequestProgress, RequestStateBadge, isolate, requestState, useMoment } from '../components/VerificationStatus';
import { IDENTIFICATION_PATH, mayAnswerVerification, personPath } from '../navigation';
import { onLinkClick } from '../router/router';

const ANSWER_COLOR = { confirmed: 'green', not_national: 'red', more_information: 'yellow' } as const;
const COLUMNS = 6;

function Fact({ label, children, testId }: { readonly label: string; readonly children: React.ReactNode; readonly testId?: string }) {
  return (
    <div>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <div data-testid={testId}>{children}</div>
    </div>
  );
}

interface AnswerFormProps {
  readonly requestId: string;
  readonly item: VerificationItem;
  readonly answer: VerificationAnswer;
  readonly onCancel: () => void;
  readonly onAnswered: (detail: VerificationRequestDetail, input: VerificationAnswerInput) => void;
}

/** The mission's answer for one person, with what it rests on. */
function AnswerForm({ requestId, item, answer, onCancel, onAnswered }: AnswerFormProps) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [evidence, setEvidence] = useState('');
  const send = useMutation({
    mutationFn: (input: VerificationAnswerInput) => identificationApi.answer(requestId, input),
    onSuccess: (detail, input) => onAnswered(detail, input),
    // Answered meanwhile by a colleague (409): show what the server holds now beside the refusal.
    onError: (error) => {
      if (error instanceof ApiError && error.status === 409) void client.invalidateQueries({ queryKey: verificationKey(requestId) });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send.mutate({ personId: item.person.id, answer, ...(evidence.trim() ? { evidence: evidence.trim() } : {}) });
  };
  return (
    <form onSubmit={submit} noValidate data-testid="answer-form" data-answer={answer}>
      <Stack gap="sm">
        <Text fw={600}>{t('identification.answerAs', { answer: t(`identification.answers.${answer}`) })}</Text>
        <Textarea
          label={answer === 'more_information' ? t('identification.whatIsNeeded') : t('identification.evidence')}
          description={answer === 'more_information' ? t('identification.whatIsNeededHint') : t('identification.evidenceHint')}
          value={evidence}
          onChange={(event) => setEvidence(event.currentTarget.value)}
          maxLength={4000}
          autosize
          minRows={2}
          attributes={{ input: { dir: 'auto' } }}
          data-testid="answer-evidence"
        />
        {answer !== 'more_information' && (
          <Text size="sm" c="dimmed">
            {t('identification.finalAnswer')}
          </Text>
        )}
        {send.error && <ErrorAlert error={send.error} testId="answer-error" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} data-testid="answer-cancel">
            {t('personEdit.cancel')}
          </Button>
          <Button type="submit" color={ANSWER_COLOR[answer]} loading={send.isPending} data-testid="answer-send">
            {t('identification.sendAnswer')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** What was answered for one person: by whom, when, on what evidence. */
function Answered({ item }: { readonly item: VerificationItem }) {
  const { t } = useTranslation();
  const moment = useMoment();
  if (!item.answer) return null;
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" data-testid="item-answered-by">
        {t('identification.answeredBy', { name: isolate(item.answeredBy ?? t('common.none')), when: isolate(moment(item.answeredAt)) })}
      </Text>
      {item.evidence && (
        <Text size="sm" className="hw-evidence" dir="auto" data-testid="item-evidence">
          {item.evidence}
        </Text>
      )}
    </Stack>
  );
}

interface ItemRowProps {
  readonly item: VerificationItem;
  /** The embassy's answer buttons, for a person not yet settled. */
  readonly answerable: boolean;
  /** Answered here, and no longer shared with this mission (found not to be its national). */
  readonly gone: boolean;
  readonly onChoose: (answer: VerificationAnswer) => void;
}

function ItemRow({ item, answerable, gone, onChoose }: ItemRowProps) {
  const { t } = useTranslation();
  const format = useRegistryFormat();
  const path = personPath(item.person.id);
  return (
    <Table.Tr data-testid="item-row" data-person-id={item.person.id} data-answer={item.answer ?? 'none'} data-gone={gone || undefined}>
      <Table.Td dir="auto" className="hw-name">
        {gone ? (
          <Text fw={600}>{item.person.displayName}</Text>
        ) : (
          <Anchor href={path} onClick={onLinkClick(path)} fw={600}>
            {item.person.displayName}
          </Anchor>
        )}
        <Text size="sm" c="dimmed" dir="ltr">
          {item.person.latinName}
        </Text>
      </Table.Td>
      <Table.Td>
        {t(`registry.kinds.${item.person.kind}`)} · {t(`registry.sexes.${item.person.sex}`)}
      </Table.Td>
      <Table.Td className="hw-nowrap">{item.person.age ? format.age(item.person.age) : t('common.none')}</Table.Td>
      <Table.Td dir="auto">{item.person.birthDate || t('common.none')}</Table.Td>
      <Table.Td>
        <Stack gap={4} align="flex-start">
          <AnswerBadge answer={item.answer} />
          <Answered item={item} />
          {gone && (
            <Text size="xs" c="dimmed" data-testid="item-gone">
              {t('identification.noLongerShared')}
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        {answerable && (
          <Group gap={6} wrap="wrap">
            {VERIFICATION_ANSWERS.map((answer) => (
              <Button key={answer} size="compact-sm" variant="light" color={ANSWER_COLOR[answer]} onClick={() => onChoose(answer)} data-testid={`answer-${answer}`}>
                {t(`identification.answers.${answer}`)}
              </Button>
            ))}
          </Group>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** One verification request: its people and the mission's answers; an embassy answers person by person. */
export function VerificationRequestPage({ id, user }: { readonly id: string; readonly user: User }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const format = useRegistryFormat();
  const moment = useMoment();
  const countries = useCountries();
  const countryName = useCountryName();
  const request = useQuery({ queryKey: verificationKey(id), queryFn: () => identificationApi.request(id) });
  const [choosing, setChoosing] = useState<{ personId: string; answer: VerificationAnswer } | null>(null);
  /**
   * Answers given on this page. A person the embassy finds not to be its national is no longer
   * shared with it, so the server's answer leaves them out: the page keeps what was answered for them.
   */
  const [given, setGiven] = useState<ReadonlyMap<string, VerificationItem>>(new Map());
  const embassy = mayAnswerVerification(user);

  if (request.isPending) return <Loader aria-label={t('common.loading')} />;
  if (request.isError) return <ErrorAlert error={request.error} testId="verification-error" />;
  const detail = request.data;

  const onAnswered = (next: VerificationRequestDetail, input: VerificationAnswerInput) => {
    const before = detail.items.find((i) => i.person.id === input.personId);
    if (before) {
      const item: VerificationItem = {
        ...before,
        answer: input.answer,
        evidence: input.evidence ?? null,
        answeredAt: new Date().toISOString(),
        answeredBy: user.displayName,
      };
      setGiven((g) => new Map(g).set(input.personId, next.items.find((i) => i.person.id === input.personId) ?? item));
    }
    setChoosing(null);
    client.setQueryData(verificationKey(id), next);
    void client.invalidateQueries({ queryKey: VERIFICATION_KEY });
    // The person's nationality changed with the answer.
    void client.invalidateQueries({ queryKey: PERSONS_KEY });
  };

  const shown = new Set(detail.items.map((i) => i.person.id));
  const gone = [...given.values()].filter((item) => !shown.has(item.person.id));
  const rows: { item: VerificationItem; gone: boolean }[] = [
    ...detail.items.map((item) => ({ item, gone: false })),
    ...gone.map((item) => ({ item, gone: true })),
  ];
  const country = countryName(detail.countryCode, countries.data);
  const state = requestState(detail);

  return (
    <Stack gap="md" data-testid="verification-page" data-request-id={detail.id} data-state={state} data-version={detail.version}>
      <Anchor href={IDENTIFICATION_PATH} onClick={onLinkClick(IDENTIFICATION_PATH)} size="sm">
        {embassy ? t('identification.embassy.back') : t('identification.back')}
      </Anchor>
      <PageTitle>{embassy ? t('identification.embassy.requestTitle') : t('identification.requestTitle', { country })}</PageTitle>
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="md">
          <Fact label={t('identification.state')}>
            <RequestStateBadge request={detail} />
          </Fact>
          <Fact label={t('identification.sentAt')} testId="verification-sent">
            <Text>{moment(detail.sentAt)}</Text>
            {detail.sentBy && (
              <Text size="sm" c="dimmed" dir="auto">
                {detail.sentBy}
              </Text>
            )}
          </Fact>
          <Fact label={t('identification.dueOn')} testId="verification-due">
            <Text c={detail.overdue ? 'red' : undefined} fw={detail.overdue ? 700 : undefined}>
              {format.date(detail.dueOn)}
            </Text>
          </Fact>
          <Fact label={t('identification.settled')}>
            <RequestProgress request={detail} />
          </Fact>
        </SimpleGrid>
        {detail.note && (
          <Fact label={t('identification.note')} testId="verification-note">
            <Text className="hw-evidence" dir="auto">
              {detail.note}
            </Text>
          </Fact>
        )}
        {detail.answeredAt && (
          <Alert color="green" mt="md" data-testid="verification-answered">
            {t('identification.allAnswered', { when: isolate(moment(detail.answeredAt)) })}
          </Alert>
        )}
        {state === 'overdue' && (
          <Alert color="red" mt="md" data-testid="verification-overdue">
            {embassy ? t('identification.embassy.overdue') : t('identification.overdueNote')}
          </Alert>
        )}
      </Paper>
      {embassy && state !== 'answered' && <Text>{t('identification.embassy.howToAnswer')}</Text>}
      <Table.ScrollContainer minWidth={860}>
        <Table striped data-testid="verification-items">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('registry.name')}</Table.Th>
              <Table.Th>
                {t('registry.kind')} · {t('registry.sex')}
              </Table.Th>
              <Table.Th>{t('registry.age')}</Table.Th>
              <Table.Th>{t('identification.birthDate')}</Table.Th>
              <Table.Th>{t('identification.answer')}</Table.Th>
              <Table.Th aria-label={t('identification.answerActions')} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map(({ item, gone: isGone }) => {
              const open = choosing?.personId === item.person.id ? choosing : null;
              return (
                <Fragment key={item.person.id}>
                  <ItemRow
                    item={item}
                    answerable={embassy && !isGone && !isSettled(item.answer) && !open}
                    gone={isGone}
                    onChoose={(answer) => setChoosing({ personId: item.person.id, answer })}
                  />
                  {open && (
                    <Table.Tr>
                      <Table.Td colSpan={COLUMNS}>
                        <AnswerForm requestId={detail.id} item={item} answer={open.answer} onCancel={() => setChoosing(null)} onAnswered={onAnswered} />
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {rows.length === 0 && (
        <Text c="dimmed" data-testid="verification-no-items">
          {t('identification.noItems')}
        </Text>
      )}
    </Stack>
  );
}
