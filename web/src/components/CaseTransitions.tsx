import { Alert, Button, Group, List, Modal, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Case, CASES_KEY, type TransitionOption, caseKey, casePanelsKey, casesApi } from '../api/cases';
import { ApiError } from '../api/client';
import { useCaseText } from './caseText';
import { ErrorAlert } from './ErrorAlert';

/** The buttons' order: forward moves first, then hold / resume, then the ways out. */
const ORDER = ['start_verification', 'start_assessment', 'request_clearance', 'approve', 'schedule', 'unschedule', 'depart', 'hand_over', 'close', 'resume', 'hold', 'reopen', 'reject', 'withdraw'];
const rank = (t: TransitionOption) => {
  const i = ORDER.indexOf(t.name);
  return i === -1 ? ORDER.length : i;
};
const DANGER = new Set(['reject', 'withdraw']);

/** A refusal of a transition: 409 (the case moved meanwhile) or 422 (a guard failed, one line per guard and criterion). */
function TransitionRefusal({ error }: { readonly error: unknown }) {
  const { t, i18n } = useTranslation();
  const text = useCaseText();
  if (!(error instanceof ApiError) || (error.status !== 409 && error.status !== 422)) return <ErrorAlert error={error} testId="transition-error" />;
  const title = error.status === 409 ? t('cases.refusal.conflict') : t('cases.refusal.guard');
  const lead = error.status === 409 && error.code === 'case_state_changed' ? undefined : text.message({ code: error.code, params: {}, text: error.message });
  return (
    <Alert color={error.status === 409 ? 'yellow' : 'red'} role="alert" title={title} data-testid="transition-error" data-status={error.status} data-code={error.code} lang={i18n.language}>
      {error.status === 409 && <Text size="sm">{t('cases.refusal.reloaded')}</Text>}
      {lead && error.details.length === 0 && <Text size="sm">{lead}</Text>}
      {error.details.length > 0 && (
        <List size="sm" mt={4} data-testid="transition-error-details">
          {error.details.map((d) => {
            const criterion = /^eligibility\.(?:[^.]+\.)?([^.]+)$/.exec(d.path)?.[1];
            return (
              <List.Item key={`${d.path}:${d.code ?? d.message}`} data-code={d.code}>
                {criterion && (
                  <Text span fw={600}>
                    {text.criterion(criterion)}:{' '}
                  </Text>
                )}
                {text.detail(d)}
              </List.Item>
            );
          })}
        </List>
      )}
    </Alert>
  );
}

interface ReasonModalProps {
  readonly option: TransitionOption;
  readonly pending: boolean;
  readonly onCancel: () => void;
  readonly onSubmit: (reason: string) => void;
  readonly error: unknown;
}

/** Hold, reject, withdraw and reopen ask for a reason, kept in the case's history. */
function ReasonModal({ option, pending, onCancel, onSubmit, error }: ReasonModalProps) {
  const { t } = useTranslation();
  const text = useCaseText();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setMissing(true);
      return;
    }
    onSubmit(reason.trim());
  };
  return (
    <Modal opened onClose={onCancel} title={t('cases.transitionTo', { transition: text.transition(option.name), state: text.state(option.to) })} lockScroll={false} data-testid="transition-modal">
      <form onSubmit={submit} noValidate data-testid="transition-form" data-transition={option.name}>
        <Stack gap="sm">
          <Textarea
            label={t('cases.reason')}
            description={t('cases.reasonHint')}
            required
            value={reason}
            onChange={(event) => {
              setReason(event.currentTarget.value);
              setMissing(false);
            }}
            maxLength={2000}
            autosize
            minRows={3}
            error={missing ? t('common.required') : undefined}
            attributes={{ input: { dir: 'auto' } }}
            data-testid="transition-reason"
            data-autofocus
          />
          {error ? <TransitionRefusal error={error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel}>
              {t('personEdit.cancel')}
            </Button>
            <Button type="submit" loading={pending} color={DANGER.has(option.name) ? 'red' : undefined} data-testid="transition-confirm">
              {text.transition(option.name)}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** One transition: a button, enabled when the server says the caller may make it; else why not, in words. */
/** A reason is asked for when the move is chosen: a transition closed only for want of one is open to the caller. */
const REASON_GUARD = 'case_guard_reason_given';
export function isOpen(option: TransitionOption): boolean {
  return option.allowed || (option.needsReason && option.closedBecause.length > 0 && option.closedBecause.every((c) => c.guardCode === REASON_GUARD));
}

function TransitionRow({ option, onChoose, busy, c }: { readonly option: TransitionOption; readonly onChoose: (o: TransitionOption) => void; readonly busy: boolean; readonly c: Case }) {
  const { t } = useTranslation();
  const text = useCaseText();
  const reasonsId = useId();
  const open = isOpen(option);
  const closures = option.closedBecause.filter((closure) => closure.guardCode !== REASON_GUARD || !open);
  const names = new Map(c.members.map((m) => [m.personId, m.displayName]));
  const multiple = c.members.filter((m) => !m.left).length > 1;
  return (
    <li className="hw-transition" data-testid="transition" data-transition={option.name} data-to={option.to} data-allowed={String(open)}>
      <Group align="flex-start" gap="md" wrap="nowrap">
        <Button
          className="hw-transition-button"
          variant={open ? (DANGER.has(option.name) ? 'light' : 'filled') : 'default'}
          color={DANGER.has(option.name) ? 'red' : undefined}
          disabled={!open || busy}
          onClick={() => onChoose(option)}
          aria-describedby={open ? undefined : reasonsId}
          data-testid={`transition-${option.name}`}
        >
          {text.transition(option.name)}
        </Button>
        <Stack gap={2} className="hw-grow" id={reasonsId}>
          <Text size="sm" c="dimmed">
            {t('cases.toState', { state: text.state(option.to) })}
            {open && option.needsReason ? ` · ${t('cases.needsReason')}` : ''}
          </Text>
          {closures.map((closure, index) => (
            <div key={`${closure.code}:${closure.guard ?? index}`} data-testid="transition-closed-because" data-code={closure.guardCode ?? closure.code}>
              <Text size="sm" c={closure.code === 'case_transition_role_not_allowed' ? 'dimmed' : 'red.8'}>
                {text.closure(closure, option.name)}
              </Text>
              {closure.criteria && closure.criteria.length > 0 && (
                <List size="xs" withPadding data-testid="transition-blocking-criteria">
                  {closure.criteria.map((k) => (
                    <List.Item key={`${k.personId}:${k.id}`} data-testid="blocking-criterion" data-criterion-id={k.id} data-status={k.status} data-person-id={k.personId}>
                      {text.criterion(k.id)} — {t(`cases.status.${k.status}`)}
                      {multiple && names.get(k.personId) ? (
                        <Text span c="dimmed" dir="auto">
                          {' '}
                          (<bdi>{names.get(k.personId)}</bdi>)
                        </Text>
                      ) : null}
                    </List.Item>
                  ))}
                </List>
              )}
            </div>
          ))}
        </Stack>
      </Group>
    </li>
  );
}

/** The transitions out of the case's state: what the caller may do next, and why the rest are closed. */
export function CaseTransitions({ c }: { readonly c: Case }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [asking, setAsking] = useState<TransitionOption | null>(null);
  const move = useMutation({
    mutationFn: ({ option, reason }: { option: TransitionOption; reason?: string }) => casesApi.transition(c.id, option.to, c.state, reason),
    onSuccess: (moved) => {
      client.setQueryData(caseKey(c.id), moved);
      setAsking(null);
      void client.invalidateQueries({ queryKey: CASES_KEY, predicate: (q) => q.queryKey[1] !== 'one' || q.queryKey[2] !== c.id });
    },
    // Moved meanwhile (409) or a guard no longer holds (422): show the case as it is now.
    onError: (error) => {
      if (error instanceof ApiError && (error.status === 409 || error.status === 422)) {
        void client.invalidateQueries({ queryKey: caseKey(c.id) });
        void client.invalidateQueries({ queryKey: casePanelsKey(c.id) });
      }
    },
  });
  // A held case resumes only to where it came from: the other "resume" rows are not choices.
  const options = c.transitions.filter((o) => o.name !== 'resume' || o.to === c.heldFrom).sort((a, b) => rank(a) - rank(b));
  const choose = (option: TransitionOption) => {
    move.reset();
    if (option.needsReason) setAsking(option);
    else move.mutate({ option });
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="case-transitions-title" data-testid="case-transitions">
      <Title order={2} size="h4" mb="xs" id="case-transitions-title">
        {t('cases.transitionsTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('cases.transitionsIntro')}
      </Text>
      {move.error && !asking ? (
        <div className="hw-transition-error">
          <TransitionRefusal error={move.error} />
        </div>
      ) : null}
      {options.length === 0 ? (
        <Text c="dimmed">{t('cases.noTransitions')}</Text>
      ) : (
        <ul className="hw-transitions">
          {options.map((option) => (
            <TransitionRow key={`${option.name}:${option.to}`} option={option} onChoose={choose} busy={move.isPending} c={c} />
          ))}
        </ul>
      )}
      {asking && (
        <ReasonModal
          option={asking}
          pending={move.isPending}
          error={move.error}
          onCancel={() => {
            setAsking(null);
            move.reset();
          }}
          onSubmit={(reason) => move.mutate({ option: asking, reason })}
        />
      )}
    </Paper>
  );
}
