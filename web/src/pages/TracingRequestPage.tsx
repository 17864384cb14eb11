import { Alert, Anchor, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError } from '../api/client';
import { useCountries, useCountryName } from '../api/queries';
import { personKey, registryApi } from '../api/registry';
import { CANDIDATES_KEY, TRACING_KEY, type TracingRequest, tracingApi, tracingKey } from '../api/tracing';
import type { User } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { MatchQueue } from '../components/MatchQueue';
import { PageTitle } from '../components/PageTitle';
import { Name, TracingStatusBadge } from '../components/TracingStatus';
import { useMoment } from '../components/VerificationStatus';
import { TRACING_LIST_PATH, personPath } from '../navigation';
import { onLinkClick } from '../router/router';

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

/** The person the request was answered with, as far as the caller may see them. */
function FoundPerson({ id }: { readonly id: string }) {
  const { t } = useTranslation();
  const person = useQuery({ queryKey: personKey(id), queryFn: () => registryApi.person(id), retry: false });
  const path = personPath(id);
  return (
    <Alert color="green" data-testid="tracing-found" data-person-id={id}>
      <Text size="sm">{t('tracing.foundAs')}</Text>
      <Anchor href={path} onClick={onLinkClick(path)} fw={700} dir="auto" className="hw-name" data-testid="tracing-found-link">
        <bdi>{person.data?.displayName ?? t('tracing.openPerson')}</bdi>
      </Anchor>
    </Alert>
  );
}

/** Closing a request no one was found for: the reason is kept with it. */
function CloseForm({ request }: { readonly request: TracingRequest }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const close = useMutation({
    mutationFn: (text: string) => tracingApi.close(request.id, text),
    onSuccess: (closed) => {
      client.setQueryData(tracingKey(request.id), closed);
      void client.invalidateQueries({ queryKey: TRACING_KEY });
      void client.invalidateQueries({ queryKey: CANDIDATES_KEY });
      setOpen(false);
    },
  });
  if (!open) {
    return (
      <Group>
        <Button variant="light" color="gray" onClick={() => setOpen(true)} data-testid="tracing-close">
          {t('tracing.close')}
        </Button>
      </Group>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMissing(!reason.trim());
    if (reason.trim()) close.mutate(reason.trim());
  };
  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate data-testid="tracing-close-form">
        <Stack gap="sm">
          <Textarea
            label={t('tracing.closeReason')}
            description={t('tracing.closeReasonHint')}
            required
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            maxLength={2000}
            autosize
            minRows={2}
            attributes={{ input: { dir: 'auto' } }}
            error={missing ? t('common.required') : fieldError(close.error, 'reason')}
            data-testid="tracing-close-reason"
          />
          {close.error && <ErrorAlert error={close.error} testId="tracing-close-error" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)} data-testid="tracing-close-cancel">
              {t('personEdit.cancel')}
            </Button>
            <Button type="submit" color="gray" loading={close.isPending} data-testid="tracing-close-send">
              {t('tracing.closeSend')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** One tracing request: whom a family looks for, who asks, what became of it, and its possible matches. */
export function TracingRequestPage({ id, user }: { readonly id: string; readonly user: User }) {
  const { t, i18n } = useTranslation();
  const moment = useMoment();
  const countries = useCountries(user.role === 'coordinator');
  const countryName = useCountryName();
  const request = useQuery({ queryKey: tracingKey(id), queryFn: () => tracingApi.request(id) });

  if (request.isPending) return <Loader aria-label={t('common.loading')} />;
  if (request.isError) return <ErrorAlert error={request.error} testId="tracing-error" />;
  const detail = request.data;
  const { sought, enquirer } = detail;
  const none = t('common.none');
  const optional = (value: string | null) => (value ? <Name fw={500}>{value}</Name> : <Text span>{none}</Text>);

  return (
    <Stack gap="md" data-testid="tracing-page" data-request-id={detail.id} data-status={detail.status} data-version={detail.version}>
      <Anchor href={TRACING_LIST_PATH} onClick={onLinkClick(TRACING_LIST_PATH)} size="sm">
        {t('tracing.back')}
      </Anchor>
      <PageTitle testId="tracing-title">{t('tracing.requestTitle', { name: `\u2068${sought.names[0] ?? ''}\u2069` })}</PageTitle>
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="md">
          <Fact label={t('tracing.status')}>
            <TracingStatusBadge status={detail.status} />
          </Fact>
          <Fact label={t('identification.country')} testId="tracing-country">
            <Text>{countryName(detail.countryCode, countries.data)}</Text>
          </Fact>
          <Fact label={t('tracing.filedAt')} testId="tracing-filed">
            <Text>{moment(detail.createdAt)}</Text>
          </Fact>
          <Fact label={t('tracing.proposed')} testId="tracing-proposed-count">
            <Text>{detail.proposedCandidates}</Text>
          </Fact>
        </SimpleGrid>
      </Paper>
      {detail.foundPersonId && <FoundPerson id={detail.foundPersonId} />}
      {detail.status === 'closed' && (
        <Alert color="gray" data-testid="tracing-closed" title={t('tracing.closedNote')}>
          {detail.closed && (
            <Text size="sm" dir="auto" data-testid="tracing-closed-reason">
              {t('tracing.closedOn', { date: new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' }).format(new Date(detail.closed.at)) })} {detail.closed.reason}
            </Text>
          )}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Paper withBorder p="md" data-testid="tracing-sought">
          <Title order={2} size="h4" mb="sm">
            {t('tracing.sought')}
          </Title>
          <Stack gap="xs">
            <Fact label={t('tracing.names')} testId="tracing-names">
              {sought.names.map((name) => (
                <Text key={name}>
                  <Name>{name}</Name>
                </Text>
              ))}
            </Fact>
            <Fact label={t('registry.sex')}>{t(`registry.sexes.${sought.sex}`)}</Fact>
            <Fact label={t('tracing.birth')} testId="tracing-birth">
              <bdi>{sought.birthDate ?? none}</bdi>
            </Fact>
            <Fact label={t('tracing.fatherName')} testId="tracing-father">
              {optional(sought.fatherName)}
            </Fact>
            <Fact label={t('tracing.motherName')}>{optional(sought.motherName)}</Fact>
            <Fact label={t('tracing.lastKnownPlace')}>{optional(sought.lastKnownPlace)}</Fact>
          </Stack>
        </Paper>
        <Paper withBorder p="md" data-testid="tracing-enquirer">
          <Title order={2} size="h4" mb="sm">
            {t('tracing.enquirer')}
          </Title>
          <Stack gap="xs">
            <Fact label={t('tracing.form.enquirerName')}>{optional(enquirer.name)}</Fact>
            <Fact label={t('tracing.form.relationship')} testId="tracing-relationship">
              {optional(enquirer.relationship)}
            </Fact>
            <Fact label={t('tracing.form.contact')}>{optional(enquirer.contact)}</Fact>
            {detail.notes && (
              <Fact label={t('tracing.notes')}>
                <Text className="hw-evidence" dir="auto">
                  {detail.notes}
                </Text>
              </Fact>
            )}
          </Stack>
        </Paper>
      </SimpleGrid>
      {detail.status === 'open' && <CloseForm request={detail} />}
      <section aria-labelledby="tracing-candidates">
        <Title order={2} size="h4" mb="sm" id="tracing-candidates">
          {t('tracing.candidates')}
        </Title>
        <MatchQueue embassy tracingRequestId={detail.id} />
      </section>
    </Stack>
  );
}
