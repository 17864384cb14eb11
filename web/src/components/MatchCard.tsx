import { Alert, Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { PERSONS_KEY } from '../api/registry';
import { CANDIDATES_KEY, type CandidateSide, type Decision, type MatchCandidate, TRACING_KEY, tracingApi } from '../api/tracing';
import { personPath, tracingPath } from '../navigation';
import { onLinkClick } from '../router/router';
import { ErrorAlert } from './ErrorAlert';
import { MatchExplanation } from './MatchExplanation';
import { CandidateStatusBadge, Name, useProbability } from './TracingStatus';
import { isolate, useMoment } from './VerificationStatus';

function Line({ label, children, testId }: { readonly label: string; readonly children: React.ReactNode; readonly testId?: string }) {
  return (
    <Text size="sm" data-testid={testId}>
      <Text span c="dimmed">
        {label}:
      </Text>{' '}
      {children}
    </Text>
  );
}

/** One registration: its name (a link to the person), sex and date of birth. */
function PersonSide({ title, side, testId, linked }: { readonly title: string; readonly side: CandidateSide; readonly testId: string; readonly linked: boolean }) {
  const { t } = useTranslation();
  const path = personPath(side.id);
  return (
    <Paper withBorder p="sm" className="hw-match-side" data-testid={testId} data-person-id={side.id}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {title}
      </Text>
      <Title order={3} size="h5" my={4}>
        {linked ? (
          <Anchor href={path} onClick={onLinkClick(path)} dir="auto" className="hw-name">
            <bdi>{side.displayName}</bdi>
          </Anchor>
        ) : (
          <Name>{side.displayName}</Name>
        )}
      </Title>
      <Line label={t('registry.sex')}>{t(`registry.sexes.${side.sex}`)}</Line>
      <Line label={t('tracing.birth')}>
        <bdi>{side.birthDate || t('common.none')}</bdi>
      </Line>
    </Paper>
  );
}

/** The person a family is looking for, as the tracing request describes them. */
function SoughtSide({ candidate, linked }: { readonly candidate: MatchCandidate; readonly linked: boolean }) {
  const { t } = useTranslation();
  const request = candidate.tracingRequest;
  if (!request) return null;
  const path = tracingPath(request.id);
  const optional = (value: string | null) => (value ? <Name fw={500}>{value}</Name> : t('common.none'));
  return (
    <Paper withBorder p="sm" className="hw-match-side" data-testid="match-sought" data-request-id={request.id}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {t('tracing.matches.soughtSide')}
      </Text>
      <Title order={3} size="h5" my={4}>
        {linked ? (
          <Anchor href={path} onClick={onLinkClick(path)} dir="auto" className="hw-name">
            <bdi>{request.names[0]}</bdi>
          </Anchor>
        ) : (
          <Name>{request.names[0] ?? ''}</Name>
        )}
      </Title>
      {request.names.length > 1 && <Line label={t('tracing.otherNames')}>{request.names.slice(1).map((n) => <Name key={n} fw={500}>{`${n} `}</Name>)}</Line>}
      <Line label={t('registry.sex')}>{t(`registry.sexes.${request.sex}`)}</Line>
      <Line label={t('tracing.birth')}>
        <bdi>{request.birthDate ?? t('common.none')}</bdi>
      </Line>
      <Line label={t('tracing.fatherName')}>{optional(request.fatherName)}</Line>
      <Line label={t('tracing.motherName')}>{optional(request.motherName)}</Line>
      <Line label={t('tracing.lastKnownPlace')}>{optional(request.lastKnownPlace)}</Line>
      <Line label={t('tracing.enquirer')}>
        <Name fw={500}>{request.enquirer.name}</Name> (<bdi dir="auto">{request.enquirer.relationship}</bdi>)
      </Line>
    </Paper>
  );
}

interface MatchCardProps {
  readonly candidate: MatchCandidate;
  readonly onDecided: (candidate: MatchCandidate) => void;
  /** Link the sought side to its tracing request (not on that request's own page). */
  readonly linkRequest?: boolean;
}

/** A possible match side by side, the engine's reasons, and Confirm / Reject with an optional reason. */
export function MatchCard({ candidate, onDecided, linkRequest = true }: MatchCardProps) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const probability = useProbability();
  const moment = useMoment();
  const [reason, setReason] = useState('');
  const decide = useMutation({
    mutationFn: (decision: Decision) => tracingApi.decide(candidate, decision, reason.trim() || undefined),
    onSuccess: (decided) => {
      onDecided(decided);
      void client.invalidateQueries({ queryKey: CANDIDATES_KEY });
      void client.invalidateQueries({ queryKey: TRACING_KEY });
      void client.invalidateQueries({ queryKey: PERSONS_KEY });
    },
    // Decided meanwhile by someone else (409) or changed by a sweep (412): show the queue as it is now.
    onError: (error) => {
      if (error instanceof ApiError && (error.status === 409 || error.status === 412)) void client.invalidateQueries({ queryKey: CANDIDATES_KEY });
    },
  });
  const duplicate = candidate.kind === 'duplicate';
  const proposed = candidate.status === 'proposed';
  const rightLabel = duplicate ? t('tracing.matches.otherSide') : t('tracing.matches.soughtSide');

  return (
    <Paper withBorder shadow="xs" p="md" data-testid="match-card" data-candidate-id={candidate.id} data-kind={candidate.kind} data-status={candidate.status} data-version={candidate.version}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Group gap="xs">
            <Badge variant="outline" color={duplicate ? 'grape' : 'cyan'} className="hw-badge-whole" data-testid="match-kind">
              {t(`tracing.matches.kinds.${candidate.kind}`)}
            </Badge>
            <CandidateStatusBadge status={candidate.status} />
          </Group>
          <Text fw={700} size="lg" data-testid="match-probability" data-probability={candidate.probability.toFixed(4)}>
            {t('tracing.matches.probability', { value: isolate(probability(candidate.probability)) })}
          </Text>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <PersonSide title={t('tracing.matches.personSide')} side={candidate.person} testId="match-person" linked />
          {duplicate && candidate.other ? <PersonSide title={rightLabel} side={candidate.other} testId="match-other" linked /> : <SoughtSide candidate={candidate} linked={linkRequest} />}
        </SimpleGrid>
        <MatchExplanation candidate={candidate} leftLabel={t('tracing.matches.personSide')} rightLabel={rightLabel} />
        {proposed ? (
          <Stack gap="xs">
            <Textarea
              label={t('tracing.matches.reason')}
              description={duplicate ? t('tracing.matches.confirmDuplicateHint') : t('tracing.matches.confirmTracingHint')}
              value={reason}
              onChange={(event) => setReason(event.currentTarget.value)}
              maxLength={2000}
              autosize
              minRows={1}
              attributes={{ input: { dir: 'auto' } }}
              data-testid="match-reason"
            />
            {decide.error && <ErrorAlert error={decide.error} testId="match-error" />}
            <Group justify="flex-end">
              <Button color="red" variant="light" onClick={() => decide.mutate('reject')} loading={decide.isPending && decide.variables === 'reject'} disabled={decide.isPending} data-testid="match-reject">
                {t('tracing.matches.reject')}
              </Button>
              <Button color="green" onClick={() => decide.mutate('confirm')} loading={decide.isPending && decide.variables === 'confirm'} disabled={decide.isPending} data-testid="match-confirm">
                {t('tracing.matches.confirm')}
              </Button>
            </Group>
          </Stack>
        ) : (
          <Alert color={candidate.status === 'confirmed' ? 'green' : 'red'} data-testid="match-decision" data-status={candidate.status}>
            <Text size="sm">
              {t(`tracing.matches.decided.${candidate.status === 'confirmed' ? (duplicate ? 'duplicate' : 'tracing') : 'rejected'}`, {
                name: isolate(candidate.decidedBy ?? t('common.none')),
                when: isolate(moment(candidate.decidedAt)),
              })}
            </Text>
            {candidate.reason && (
              <Text size="sm" className="hw-evidence" dir="auto" mt={4} data-testid="match-decision-reason">
                {candidate.reason}
              </Text>
            )}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
