import { Alert, Anchor, Badge, Button, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Case, type CaseMember, MEMBERS_CHANGEABLE, type MemberPanels, caseKey, casePanelsKey, casesApi, mayManageMembers, mayMoveCases } from '../api/cases';
import { ApiError } from '../api/client';
import type { User } from '../api/types';
import { AddMembersForm } from '../components/CaseAddMembers';
import { AssurancesPanel } from '../components/CaseAssurancesPanel';
import { BestInterestsPanel } from '../components/CaseBestInterestsPanel';
import { ClearancesPanel } from '../components/CaseClearancesPanel';
import { ConsentPanel } from '../components/CaseConsentPanel';
import { CaseFormModal, useCaseWrite, useRequired } from '../components/CaseForm';
import { GuardianPanel } from '../components/CaseGuardianPanel';
import { NonRefoulementPanel, TransferPanel } from '../components/CaseMemberFlagsPanel';
import { CaseStateBadge, EligibleBadge } from '../components/CaseStatus';
import { CaseTransitions } from '../components/CaseTransitions';
import { useCaseText } from '../components/caseText';
import { EligibilityChecklist } from '../components/EligibilityChecklist';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageTitle } from '../components/PageTitle';
import { useRegistryFormat } from '../components/registryFormat';
import { useMoment } from '../components/VerificationStatus';
import { CASES_PATH, personPath } from '../navigation';
import { onLinkClick } from '../router/router';

/** A member who cannot go (a mother serving her sentence) leaves the case with a reason, and stays registered. */
function LeaveForm({ c, member, onClose }: { readonly c: Case; readonly member: CaseMember; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [version] = useState(c.version);
  const [reason, setReason] = useState('');
  const required = useRequired();
  const write = useCaseWrite(c.id, (r: string) => casesApi.leave(c.id, version, member.personId, r), onClose);
  const submit = () => {
    if (!required.check({ reason: reason.trim() !== '' })) return;
    write.mutation.mutate(reason.trim());
  };
  return (
    <CaseFormModal
      title={t('cases.members.leaveTitle', { name: member.displayName })}
      testId="leave-form"
      onClose={onClose}
      onSubmit={submit}
      pending={write.mutation.isPending}
      error={write.mutation.error}
      submitColor="red"
      submitLabel={t('cases.members.leave')}
      onReload={() => void client.refetchQueries({ queryKey: caseKey(c.id) }).then(onClose)}
      shownByFields={/^reason/}
    >
      <Text size="sm">{t('cases.members.leaveHint')}</Text>
      <Textarea label={t('cases.reason')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={2000} autosize minRows={2} attributes={{ input: { dir: 'auto' } }} error={required.error('reason', write.serverError('reason'))} data-testid="leave-reason" />
    </CaseFormModal>
  );
}

/** One person on the case: who, their eligibility checklist, and the panels about them. */
function MemberSection({ c, member, panels, panelsError, user }: { readonly c: Case; readonly member: CaseMember; readonly panels: MemberPanels | undefined; readonly panelsError: unknown; readonly user: User }) {
  const { t } = useTranslation();
  const format = useRegistryFormat();
  const moment = useMoment();
  const [leaving, setLeaving] = useState(false);
  const current = c.members.filter((m) => !m.left);
  const mayLeave = mayManageMembers(user) && c.kind === 'family' && !member.left && current.length > 1;
  const path = personPath(member.personId);
  const child = member.verdict?.subject === 'child';
  const adult = member.verdict ? member.verdict.subject === 'adult' : member.kind === 'adult';
  return (
    <Paper withBorder p="md" component="section" aria-label={member.displayName} data-testid="case-member" data-person-id={member.personId} data-left={String(member.left !== null)}>
      <Group justify="space-between" align="flex-start" wrap="wrap" mb="sm">
        <div>
          <Title order={2} size="h4" dir="auto" className="hw-name">
            <Anchor href={path} onClick={onLinkClick(path)} data-testid="member-name">
              <bdi>{member.displayName}</bdi>
            </Anchor>
          </Title>
          <Group gap="xs" mt={4}>
            <Badge variant="outline" color="gray" className="hw-badge">
              {t(`cases.memberRoles.${member.role}`)}
            </Badge>
            <Text size="sm" c="dimmed">
              {t(`registry.kinds.${member.kind}`)}
              {member.age ? ` · ${t('cases.members.age', { age: format.age(member.age) })}` : ''}
            </Text>
          </Group>
        </div>
        {mayLeave && (
          <Button size="compact-sm" variant="light" color="red" onClick={() => setLeaving(true)} data-testid="member-leave">
            {t('cases.members.leave')}
          </Button>
        )}
      </Group>
      {member.left ? (
        <Alert color="gray" data-testid="member-left">
          <Text size="sm">{t('cases.members.leftOn', { when: moment(member.left.at) })}</Text>
          <Text size="sm" className="hw-evidence" dir="auto">
            {member.left.reason}
          </Text>
        </Alert>
      ) : (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          <div>
            <Title order={3} size="h5" mb="xs">
              {t('cases.checklistTitle')}
            </Title>
            {member.verdict ? <EligibilityChecklist verdict={member.verdict} personId={member.personId} /> : <Text c="dimmed">{t('cases.noVerdict')}</Text>}
          </div>
          <Stack gap="sm">
            {panelsError ? (
              <ErrorAlert error={panelsError} testId="case-panels-error" />
            ) : !panels ? (
              <Loader size="sm" aria-label={t('common.loading')} />
            ) : (
              <>
                {child && panels.consent && <ConsentPanel c={c} member={member} consent={panels.consent} user={user} />}
                {child && panels.guardian !== undefined && <GuardianPanel c={c} member={member} guardian={panels.guardian} user={user} />}
                {child && panels.bestInterests && <BestInterestsPanel c={c} member={member} bestInterests={panels.bestInterests} user={user} />}
                {(panels.clearances || panels.effectiveClearances) && <ClearancesPanel c={c} member={member} panels={panels} user={user} />}
                {panels.nonRefoulement && <NonRefoulementPanel c={c} member={member} value={panels.nonRefoulement} user={user} />}
                {adult && <TransferPanel c={c} member={member} user={user} />}
              </>
            )}
          </Stack>
        </SimpleGrid>
      )}
      {leaving && <LeaveForm c={c} member={member} onClose={() => setLeaving(false)} />}
    </Paper>
  );
}

/** The case's transitions so far, oldest first. */
function History({ c }: { readonly c: Case }) {
  const { t } = useTranslation();
  const text = useCaseText();
  const moment = useMoment();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="case-history-title" data-testid="case-history">
      <Title order={2} size="h4" mb="sm" id="case-history-title">
        {t('cases.historyTitle')}
      </Title>
      <Table.ScrollContainer minWidth={600}>
        <Table fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('cases.history.when')}</Table.Th>
              <Table.Th>{t('cases.history.transition')}</Table.Th>
              <Table.Th>{t('cases.history.states')}</Table.Th>
              <Table.Th>{t('cases.history.by')}</Table.Th>
              <Table.Th>{t('cases.reason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {c.history.map((h, index) => (
              <Table.Tr key={`${h.at}:${index}`} data-testid="history-row" data-transition={h.transition} data-to={h.to}>
                <Table.Td className="hw-nowrap">{moment(h.at)}</Table.Td>
                <Table.Td>{text.transition(h.transition)}</Table.Td>
                <Table.Td>{h.from ? t('cases.history.fromTo', { from: text.state(h.from), to: text.state(h.to) }) : text.state(h.to)}</Table.Td>
                <Table.Td dir="auto">{h.by ?? t('common.none')}</Table.Td>
                <Table.Td dir="auto" className="hw-evidence">
                  {h.reason ?? ''}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

/** A repatriation case: its state, every member's eligibility with its evidence, the transitions open to the caller, the panels, the history. */
export function CasePage({ id, user }: { readonly id: string; readonly user: User }) {
  const { t } = useTranslation();
  const text = useCaseText();
  const found = useQuery({ queryKey: caseKey(id), queryFn: () => casesApi.one(id), retry: false });
  const [adding, setAdding] = useState(false);
  const panels = useQuery({ queryKey: casePanelsKey(id), queryFn: () => casesApi.panels(id), retry: false, enabled: found.isSuccess });

  const backLink = (
    <Anchor href={CASES_PATH} onClick={onLinkClick(CASES_PATH)} size="sm" data-testid="case-back">
      {t('cases.back')}
    </Anchor>
  );
  if (found.isPending) return <Loader aria-label={t('common.loading')} />;
  if (found.isError) {
    const missing = found.error instanceof ApiError && (found.error.status === 404 || found.error.status === 400);
    return (
      <Stack gap="md" data-testid="case-page">
        {backLink}
        {missing ? (
          <Alert color="gray" data-testid="case-not-found">
            {t('cases.notFound')}
          </Alert>
        ) : (
          <ErrorAlert error={found.error} />
        )}
      </Stack>
    );
  }
  const c = found.data;
  const byPerson = new Map((panels.data?.members ?? []).map((m) => [m.personId, m]));
  const current = c.members.filter((m) => !m.left);
  const names = new Map(c.members.map((m) => [m.personId, m.displayName]));
  return (
    <Stack gap="md" data-testid="case-page" data-case-id={c.id} data-state={c.state} data-version={c.version} data-eligible={String(c.eligibility.eligible)}>
      {backLink}
      <div>
        <PageTitle testId="case-title">{t('cases.caseTitle', { reference: c.reference })}</PageTitle>
        <Group gap="xs" mt={-8} mb="xs" wrap="wrap">
          <CaseStateBadge state={c.state} />
          <Badge color="gray" variant="outline" className="hw-badge" data-testid="case-country" data-country={c.countryCode}>
            {text.country(c.countryCode)}
          </Badge>
          <Badge color="gray" variant="outline" className="hw-badge" data-testid="case-kind">
            {t(`cases.kinds.${c.kind}`)}
          </Badge>
          <EligibleBadge eligible={c.eligibility.eligible} />
        </Group>
        {c.title && (
          <Text dir="auto" mb="xs" className="hw-name" data-testid="case-subtitle">
            {c.title}
          </Text>
        )}
        {c.state === 'on_hold' && c.heldFrom && (
          <Text size="sm" c="dimmed" data-testid="case-held-from">
            {t('cases.heldFrom', { state: text.state(c.heldFrom) })}
          </Text>
        )}
        {c.eligibility.blocking.length > 0 && current.length > 1 && (
          <Text size="sm" data-testid="case-blocking">
            {t('cases.blocking', { names: text.list(c.eligibility.blocking.map((p) => `\u2068${names.get(p) ?? p}\u2069`)) })}
          </Text>
        )}
        {c.eligibility.blockingHidden > 0 && (
          <Text size="sm" c="dimmed">
            {t('cases.blockingHidden', { count: c.eligibility.blockingHidden })}
          </Text>
        )}
      </div>
      {mayMoveCases(user) && <CaseTransitions c={c} />}
      {mayManageMembers(user) && c.kind === 'family' && (
        <Group justify="space-between" wrap="wrap" data-testid="case-members-bar">
          <Text size="sm" c="dimmed">
            {t('cases.members.count', { count: current.length })}
          </Text>
          {MEMBERS_CHANGEABLE.includes(c.state) ? (
            <Button size="compact-sm" variant="light" onClick={() => setAdding(true)} data-testid="case-add-members">
              {t('cases.members.add')}
            </Button>
          ) : (
            <Text size="sm" c="dimmed" data-testid="case-members-frozen">
              {t('cases.members.frozen', { state: text.state(c.state) })}
            </Text>
          )}
        </Group>
      )}
      {adding && <AddMembersForm c={c} onClose={() => setAdding(false)} />}
      {c.members.map((m) => (
        <MemberSection key={m.personId} c={c} member={m} panels={byPerson.get(m.personId)} panelsError={panels.isError ? panels.error : null} user={user} />
      ))}
      {panels.data && <AssurancesPanel c={c} assurances={panels.data.assurances} user={user} />}
      <History c={c} />
    </Stack>
  );
}
