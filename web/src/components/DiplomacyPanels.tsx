import { ActionIcon, Anchor, Badge, Button, Card, Group, List, NativeSelect, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, fieldError } from '../api/client';
import {
  type ActionItem,
  type Agreement,
  type AgreementCriterion,
  type AgreementInput,
  type AppliesTo,
  COUNTRY_SUMMARIES_KEY,
  type Meeting,
  type Notification,
  agreementDocumentUrl,
  diplomacyApi,
  notificationPdfUrl,
  overviewKey,
} from '../api/diplomacy';
import { ErrorAlert } from './ErrorAlert';
import { ExportMenu } from './ExportMenu';
import { CategoryNote } from './CategoryNote';

export const todayIso = (): string => new Date().toISOString().slice(0, 10);
/** A date inside translated text, isolated left to right: in Arabic text "2026-12-02" would otherwise read 02-12-2026. */
export const ltr = (value: string): string => `\u2066${value}\u2069`;
const lines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter(Boolean);

function useRefresh(code: string) {
  const client = useQueryClient();
  return async () => {
    await client.invalidateQueries({ queryKey: overviewKey(code) });
    await client.invalidateQueries({ queryKey: COUNTRY_SUMMARIES_KEY });
  };
}

// ---- notifications -------------------------------------------------------------------------

function AcknowledgeForm({ notification, code }: { readonly notification: Notification; readonly code: string }) {
  const { t } = useTranslation();
  const refresh = useRefresh(code);
  const [day, setDay] = useState(todayIso());
  const acknowledge = useMutation({ mutationFn: () => diplomacyApi.acknowledge(notification.id, day, notification.version), onSuccess: refresh });
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="nowrap" align="flex-end">
        <TextInput
          type="date"
          size="xs"
          aria-label={t('countries.notifications.acknowledgedOn')}
          value={day}
          onChange={(e) => setDay(e.currentTarget.value)}
          error={fieldError(acknowledge.error, 'acknowledgedOn')}
          data-testid="acknowledge-date"
        />
        <Button size="xs" variant="light" loading={acknowledge.isPending} onClick={() => acknowledge.mutate()} data-testid="acknowledge">
          {t('countries.notifications.acknowledge')}
        </Button>
      </Group>
      {acknowledge.error && !fieldError(acknowledge.error, 'acknowledgedOn') ? <ErrorAlert error={acknowledge.error} /> : null}
    </Stack>
  );
}

/** The lists sent to the country: generate one (coordinator), download its PDF, acknowledge it. */
export function NotificationsPanel({ code, notifications, keep, acknowledge }: { readonly code: string; readonly notifications: readonly Notification[]; readonly keep: boolean; readonly acknowledge: boolean }) {
  const { t } = useTranslation();
  const refresh = useRefresh(code);
  const [sentOn, setSentOn] = useState(todayIso());
  const [channel, setChannel] = useState('');
  const [note, setNote] = useState('');
  const notify = useMutation({
    mutationFn: () => diplomacyApi.notify(code, { sentOn, ...(channel.trim() ? { channel: channel.trim() } : {}), ...(note.trim() ? { note: note.trim() } : {}) }),
    onSuccess: async () => {
      setNote('');
      await refresh();
    },
  });
  return (
    <Stack gap="md" data-testid="notifications-panel">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Text>{t('countries.notifications.intro')}</Text>
        <ExportMenu url={`/api/v1/countries/${encodeURIComponent(code)}/notifications/export`} testId="notifications-export" list={t('countries.tabs.notifications')} />
      </Group>
      {keep && (
        <Card withBorder>
          <form
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              notify.mutate();
            }}
            data-testid="notify-form"
          >
            <CategoryNote shared categories={['identity', 'custody']} />
            <Stack gap="sm">
              <Group grow align="flex-start">
                <TextInput type="date" label={t('countries.notifications.sentOn')} value={sentOn} onChange={(e) => setSentOn(e.currentTarget.value)} error={fieldError(notify.error, 'sentOn')} data-testid="notify-sent-on" />
                <TextInput label={t('countries.notifications.channel')} value={channel} onChange={(e) => setChannel(e.currentTarget.value)} maxLength={200} error={fieldError(notify.error, 'channel')} data-testid="notify-channel" />
              </Group>
              <Textarea label={t('countries.notifications.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={2000} autosize minRows={2} attributes={{ input: { dir: 'auto' } }} data-testid="notify-note" />
              {notify.error && !(notify.error instanceof ApiError && notify.error.details.length > 0) ? <ErrorAlert error={notify.error} /> : null}
              <Group>
                <Button type="submit" loading={notify.isPending} data-testid="notify-submit">
                  {t('countries.notifications.generate')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Card>
      )}
      {notifications.length === 0 ? (
        <Text c="dimmed" data-testid="notifications-empty">
          {t('countries.notifications.none')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table data-testid="notifications-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('countries.notifications.sentOn')}</Table.Th>
                <Table.Th>{t('countries.held.people')}</Table.Th>
                <Table.Th>{t('countries.held.children')}</Table.Th>
                <Table.Th>{t('countries.notifications.channel')}</Table.Th>
                <Table.Th>{t('countries.notifications.status')}</Table.Th>
                <Table.Th>{t('countries.notifications.pdf')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {notifications.map((n) => (
                <Table.Tr key={n.id} data-testid="notification-row" data-id={n.id} data-acknowledged={n.acknowledgedOn ? 'true' : 'false'}>
                  <Table.Td>
                    <bdi>{n.sentOn}</bdi>
                  </Table.Td>
                  <Table.Td>{n.peopleCount}</Table.Td>
                  <Table.Td>{n.childrenCount}</Table.Td>
                  <Table.Td>
                    <bdi>{n.channel ?? t('common.none')}</bdi>
                  </Table.Td>
                  <Table.Td>
                    {n.acknowledgedOn ? (
                      <Badge color="green" variant="light" data-testid="notification-acknowledged">
                        {t('countries.notifications.acknowledgedOnDate', { date: ltr(n.acknowledgedOn) })}
                      </Badge>
                    ) : acknowledge ? (
                      <AcknowledgeForm notification={n} code={code} />
                    ) : (
                      <Badge color="yellow" variant="light">
                        {t('countries.notifications.awaiting')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {n.hasPdf && (
                      <Anchor href={notificationPdfUrl(n.id)} download data-testid="notification-pdf">
                        {t('countries.notifications.download')}
                      </Anchor>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

// ---- meetings ------------------------------------------------------------------------------

interface ItemDraft {
  readonly description: string;
  readonly owner: string;
  readonly dueOn: string;
}
const EMPTY_ITEM: ItemDraft = { description: '', owner: '', dueOn: '' };

function MeetingForm({ code, onDone }: { readonly code: string; readonly onDone: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefresh(code);
  const [heldOn, setHeldOn] = useState(todayIso());
  const [place, setPlace] = useState('');
  const [participants, setParticipants] = useState('');
  const [minutes, setMinutes] = useState('');
  const [decisions, setDecisions] = useState('');
  const [items, setItems] = useState<ItemDraft[]>([EMPTY_ITEM]);
  const save = useMutation({
    mutationFn: () =>
      diplomacyApi.recordMeeting(code, {
        heldOn,
        ...(place.trim() ? { place: place.trim() } : {}),
        participants: lines(participants),
        ...(minutes.trim() ? { minutes: minutes.trim() } : {}),
        decisions: lines(decisions),
        actionItems: items
          .filter((i) => i.description.trim() || i.owner.trim())
          .map((i) => ({ description: i.description.trim(), owner: i.owner.trim(), dueOn: i.dueOn || null })),
      }),
    onSuccess: async () => {
      await refresh();
      onDone();
    },
  });
  const problem = (field: string) => fieldError(save.error, field);
  const setItem = (index: number, field: keyof ItemDraft, value: string) => setItems((all) => all.map((item, i) => (i === index ? { ...item, [field]: value } : item)));
  return (
    <Card withBorder>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          save.mutate();
        }}
        noValidate
        data-testid="meeting-form"
      >
        <Stack gap="sm">
          <Group grow align="flex-start">
            <TextInput type="date" label={t('countries.meetings.heldOn')} required value={heldOn} onChange={(e) => setHeldOn(e.currentTarget.value)} error={problem('heldOn')} data-testid="meeting-held-on" />
            <TextInput label={t('countries.meetings.place')} value={place} onChange={(e) => setPlace(e.currentTarget.value)} maxLength={200} error={problem('place')} attributes={{ input: { dir: 'auto' } }} data-testid="meeting-place" />
          </Group>
          <Textarea label={t('countries.meetings.participants')} description={t('countries.onePerLine')} value={participants} onChange={(e) => setParticipants(e.currentTarget.value)} autosize minRows={2} attributes={{ input: { dir: 'auto' } }} data-testid="meeting-participants" />
          <Textarea label={t('countries.meetings.minutes')} value={minutes} onChange={(e) => setMinutes(e.currentTarget.value)} autosize minRows={3} maxLength={20000} attributes={{ input: { dir: 'auto' } }} data-testid="meeting-minutes" />
          <Textarea label={t('countries.meetings.decisions')} description={t('countries.onePerLine')} value={decisions} onChange={(e) => setDecisions(e.currentTarget.value)} autosize minRows={2} attributes={{ input: { dir: 'auto' } }} data-testid="meeting-decisions" />
          <Title order={3} size="h5">
            {t('countries.meetings.actionItems')}
          </Title>
          {items.map((item, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows of a form being typed, in order
            <Group key={i} align="flex-start" grow data-testid="meeting-item">
              <TextInput label={t('countries.meetings.description')} value={item.description} onChange={(e) => setItem(i, 'description', e.currentTarget.value)} maxLength={1000} error={problem(`actionItems.${i}.description`)} attributes={{ input: { dir: 'auto' } }} data-testid="meeting-item-description" />
              <TextInput label={t('countries.meetings.owner')} value={item.owner} onChange={(e) => setItem(i, 'owner', e.currentTarget.value)} maxLength={200} error={problem(`actionItems.${i}.owner`)} attributes={{ input: { dir: 'auto' } }} data-testid="meeting-item-owner" />
              <TextInput type="date" label={t('countries.meetings.dueOn')} value={item.dueOn} onChange={(e) => setItem(i, 'dueOn', e.currentTarget.value)} error={problem(`actionItems.${i}.dueOn`)} data-testid="meeting-item-due" />
            </Group>
          ))}
          <Group>
            <Button variant="subtle" size="xs" onClick={() => setItems((all) => [...all, EMPTY_ITEM])} data-testid="meeting-add-item">
              {t('countries.meetings.addItem')}
            </Button>
          </Group>
          {save.error ? <ErrorAlert error={save.error} testId="meeting-error" /> : null}
          <Group>
            <Button type="submit" loading={save.isPending} data-testid="meeting-submit">
              {t('countries.meetings.save')}
            </Button>
            <Button variant="default" onClick={onDone}>
              {t('common.close')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function ActionItemRow({ item, code, keep }: { readonly item: ActionItem; readonly code: string; readonly keep: boolean }) {
  const { t } = useTranslation();
  const refresh = useRefresh(code);
  const done = useMutation({ mutationFn: () => diplomacyApi.updateActionItem(item.id, item.version, { doneOn: todayIso() }), onSuccess: refresh });
  return (
    <List.Item data-testid="action-item" data-id={item.id} data-overdue={item.overdue ? 'true' : 'false'} data-done={item.doneOn ? 'true' : 'false'}>
      <Group gap="xs" wrap="wrap">
        <Text span dir="auto">
          {item.description}
        </Text>
        <Text span c="dimmed" size="sm" dir="auto">
          — {item.owner}
        </Text>
        {item.dueOn && (
          <Text span size="sm">
            {t('countries.meetings.dueOnDate', { date: ltr(item.dueOn) })}
          </Text>
        )}
        {item.overdue && (
          <Badge color="red" variant="light" data-testid="action-item-overdue">
            {t('countries.meetings.overdue')}
          </Badge>
        )}
        {item.doneOn ? (
          <Badge color="green" variant="light">
            {t('countries.meetings.doneOnDate', { date: ltr(item.doneOn) })}
          </Badge>
        ) : (
          keep && (
            <Button size="compact-xs" variant="light" loading={done.isPending} onClick={() => done.mutate()} data-testid="action-item-done">
              {t('countries.meetings.markDone')}
            </Button>
          )
        )}
      </Group>
      {done.error ? <ErrorAlert error={done.error} /> : null}
    </List.Item>
  );
}

/** Meetings with the country's delegation, newest first, each with its decisions and action items. */
export function MeetingsPanel({ code, meetings, keep }: { readonly code: string; readonly meetings: readonly Meeting[]; readonly keep: boolean }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  return (
    <Stack gap="md" data-testid="meetings-panel">
      <Group justify="flex-end">
        <ExportMenu url={`/api/v1/countries/${encodeURIComponent(code)}/meetings/export`} testId="meetings-export" list={t('countries.tabs.meetings')} />
      </Group>
      {keep &&
        (adding ? (
          <MeetingForm code={code} onDone={() => setAdding(false)} />
        ) : (
          <Group>
            <Button onClick={() => setAdding(true)} data-testid="meeting-new">
              {t('countries.meetings.add')}
            </Button>
          </Group>
        ))}
      {meetings.length === 0 && (
        <Text c="dimmed" data-testid="meetings-empty">
          {t('countries.meetings.none')}
        </Text>
      )}
      {meetings.map((m) => (
        <Card withBorder key={m.id} data-testid="meeting" data-id={m.id}>
          <Stack gap="xs">
            <Group justify="space-between">
              <Title order={3} size="h5">
                <bdi>{m.heldOn}</bdi>
                {m.place ? (
                  <>
                    {' · '}
                    <bdi>{m.place}</bdi>
                  </>
                ) : null}
              </Title>
            </Group>
            {m.participants.length > 0 && (
              <Text size="sm">
                <Text span fw={600}>
                  {t('countries.meetings.participants')}:
                </Text>{' '}
                {m.participants.map((p, i) => (
                  <span key={p}>
                    {i > 0 ? ', ' : ''}
                    <bdi>{p}</bdi>
                  </span>
                ))}
              </Text>
            )}
            {m.minutes && (
              <Text size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
                {m.minutes}
              </Text>
            )}
            {m.decisions.length > 0 && (
              <>
                <Text fw={600} size="sm">
                  {t('countries.meetings.decisions')}
                </Text>
                <List size="sm">
                  {m.decisions.map((d) => (
                    <List.Item key={d}>
                      <bdi>{d}</bdi>
                    </List.Item>
                  ))}
                </List>
              </>
            )}
            <Text fw={600} size="sm">
              {t('countries.meetings.actionItems')}
            </Text>
            {m.actionItems.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('common.none')}
              </Text>
            ) : (
              <List size="sm" spacing={4}>
                {m.actionItems.map((item) => (
                  <ActionItemRow key={item.id} item={item} code={code} keep={keep} />
                ))}
              </List>
            )}
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}

// ---- agreements ----------------------------------------------------------------------------

interface CriterionDraft {
  readonly kind: AgreementCriterion['kind'];
  readonly value: string;
  readonly appliesTo: AppliesTo | '';
}

function criterionDraft(c: AgreementCriterion): CriterionDraft {
  return { kind: c.kind, value: c.kind === 'document_required' ? c.document : c.kind === 'max_age' ? String(c.years) : '', appliesTo: c.appliesTo ?? '' };
}

function criterionOf(d: CriterionDraft): AgreementCriterion {
  const appliesTo = d.appliesTo ? { appliesTo: d.appliesTo } : {};
  if (d.kind === 'document_required') return { kind: 'document_required', document: d.value.trim(), ...appliesTo };
  if (d.kind === 'max_age') return { kind: 'max_age', years: Number(d.value), ...appliesTo };
  return { kind: 'guardian_relative', ...appliesTo };
}

interface AgreementDraft {
  readonly title: string;
  readonly signedOn: string;
  readonly validFrom: string;
  readonly validUntil: string;
  readonly currency: string;
  readonly feePerChild: string;
  readonly feePerAdult: string;
  readonly documentsRequired: string;
  readonly conditions: string;
  readonly criteria: readonly CriterionDraft[];
}

function draftOf(a: Agreement | null): AgreementDraft {
  return {
    title: a?.title ?? '',
    signedOn: a?.signedOn ?? '',
    validFrom: a?.validFrom ?? todayIso(),
    validUntil: a?.validUntil ?? '',
    currency: a?.currency ?? 'USD',
    feePerChild: a?.feePerChild ?? '0',
    feePerAdult: a?.feePerAdult ?? '0',
    documentsRequired: a?.documentsRequired.join(', ') ?? '',
    conditions: a?.conditions ?? '',
    criteria: a?.criteria.map(criterionDraft) ?? [],
  };
}

function inputOf(d: AgreementDraft): AgreementInput {
  return {
    title: d.title.trim(),
    signedOn: d.signedOn || null,
    validFrom: d.validFrom,
    validUntil: d.validUntil || null,
    currency: d.currency.trim(),
    feePerChild: d.feePerChild.trim(),
    feePerAdult: d.feePerAdult.trim(),
    documentsRequired: d.documentsRequired.split(/[,\n]/).map((s) => s.trim()).filter(Boolean),
    conditions: d.conditions.trim() || null,
    criteria: d.criteria.map(criterionOf),
  };
}

const CRITERION_KINDS: readonly AgreementCriterion['kind'][] = ['document_required', 'max_age', 'guardian_relative'];

function AgreementForm({ code, agreement, onDone }: { readonly code: string; readonly agreement: Agreement | null; readonly onDone: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefresh(code);
  const [draft, setDraft] = useState<AgreementDraft>(() => draftOf(agreement));
  const [file, setFile] = useState<File | null>(null);
  const save = useMutation({
    mutationFn: async () => {
      const saved = agreement ? await diplomacyApi.updateAgreement(agreement.id, agreement.version, inputOf(draft)) : await diplomacyApi.recordAgreement(code, inputOf(draft));
      if (file) await diplomacyApi.attachAgreementDocument(saved.id, saved.version, file);
    },
    onSuccess: async () => {
      await refresh();
      onDone();
    },
  });
  const set = (field: keyof AgreementDraft) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setDraft((d) => ({ ...d, [field]: value }));
  };
  const setCriterion = (index: number, change: Partial<CriterionDraft>) => setDraft((d) => ({ ...d, criteria: d.criteria.map((c, i) => (i === index ? { ...c, ...change } : c)) }));
  const problem = (field: string) => fieldError(save.error, field);
  const stale = save.error instanceof ApiError && save.error.status === 412;
  return (
    <Card withBorder>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          save.mutate();
        }}
        noValidate
        data-testid="agreement-form"
      >
        <Stack gap="sm">
          <TextInput label={t('countries.agreements.title')} required value={draft.title} onChange={set('title')} maxLength={300} error={problem('title')} attributes={{ input: { dir: 'auto' } }} data-testid="agreement-title" />
          <Group grow align="flex-start">
            <TextInput type="date" label={t('countries.agreements.signedOn')} value={draft.signedOn} onChange={set('signedOn')} error={problem('signedOn')} data-testid="agreement-signed-on" />
            <TextInput type="date" label={t('countries.agreements.validFrom')} required value={draft.validFrom} onChange={set('validFrom')} error={problem('validFrom')} data-testid="agreement-valid-from" />
            <TextInput type="date" label={t('countries.agreements.validUntil')} value={draft.validUntil} onChange={set('validUntil')} error={problem('validUntil')} data-testid="agreement-valid-until" />
          </Group>
          <Group grow align="flex-start">
            <TextInput label={t('countries.agreements.currency')} description={t('countries.agreements.currencyHint')} required value={draft.currency} onChange={set('currency')} maxLength={3} error={problem('currency')} attributes={{ input: { dir: 'ltr' } }} data-testid="agreement-currency" />
            <TextInput label={t('countries.agreements.feePerChild')} required value={draft.feePerChild} onChange={set('feePerChild')} inputMode="decimal" error={problem('feePerChild')} attributes={{ input: { dir: 'ltr' } }} data-testid="agreement-fee-child" />
            <TextInput label={t('countries.agreements.feePerAdult')} required value={draft.feePerAdult} onChange={set('feePerAdult')} inputMode="decimal" error={problem('feePerAdult')} attributes={{ input: { dir: 'ltr' } }} data-testid="agreement-fee-adult" />
          </Group>
          <TextInput label={t('countries.agreements.documentsRequired')} description={t('countries.agreements.documentsHint')} value={draft.documentsRequired} onChange={set('documentsRequired')} error={problem('documentsRequired') ?? problem('documentsRequired.0')} attributes={{ input: { dir: 'ltr' } }} data-testid="agreement-documents" />
          <Textarea label={t('countries.agreements.conditions')} value={draft.conditions} onChange={set('conditions')} autosize minRows={2} maxLength={10000} error={problem('conditions')} attributes={{ input: { dir: 'auto' } }} data-testid="agreement-conditions" />
          <Text fw={600} size="sm">
            {t('countries.agreements.criteria')}
          </Text>
          {draft.criteria.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows of a form being typed, in order
            <Group key={i} align="flex-end" data-testid="agreement-criterion">
              <NativeSelect
                label={t('countries.agreements.criterionKind')}
                value={c.kind}
                onChange={(e) => setCriterion(i, { kind: e.currentTarget.value as CriterionDraft['kind'], value: '' })}
                data={CRITERION_KINDS.map((k) => ({ value: k, label: t(`countries.agreements.kinds.${k}`) }))}
                data-testid="agreement-criterion-kind"
              />
              {c.kind !== 'guardian_relative' && (
                <TextInput
                  label={c.kind === 'max_age' ? t('countries.agreements.years') : t('countries.agreements.document')}
                  value={c.value}
                  onChange={(e) => setCriterion(i, { value: e.currentTarget.value })}
                  error={problem(`criteria.${i}.${c.kind === 'max_age' ? 'years' : 'document'}`)}
                  attributes={{ input: { dir: 'ltr' } }}
                  data-testid="agreement-criterion-value"
                />
              )}
              <NativeSelect
                label={t('countries.agreements.appliesTo')}
                value={c.appliesTo}
                onChange={(e) => setCriterion(i, { appliesTo: e.currentTarget.value as AppliesTo | '' })}
                data={[
                  { value: '', label: t('countries.agreements.appliesDefault') },
                  ...(['children', 'adults', 'everyone'] as const).map((a) => ({ value: a, label: t(`countries.agreements.applies.${a}`) })),
                ]}
              />
              <ActionIcon variant="subtle" color="red" aria-label={t('countries.agreements.removeCriterion')} onClick={() => setDraft((d) => ({ ...d, criteria: d.criteria.filter((_, j) => j !== i) }))}>
                ×
              </ActionIcon>
            </Group>
          ))}
          <Group>
            <Button variant="subtle" size="xs" onClick={() => setDraft((d) => ({ ...d, criteria: [...d.criteria, { kind: 'document_required', value: '', appliesTo: '' }] }))} data-testid="agreement-add-criterion">
              {t('countries.agreements.addCriterion')}
            </Button>
          </Group>
          <div>
            <Text size="sm" fw={500} mb={4} component="label" htmlFor="agreement-file">
              {t('countries.agreements.scan')}
            </Text>
            <input id="agreement-file" type="file" accept="application/pdf,image/jpeg,image/png" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} data-testid="agreement-file" />
          </div>
          {save.error ? <ErrorAlert error={save.error} testId="agreement-error" /> : null}
          {stale && <Text size="sm">{t('countries.stale')}</Text>}
          <Group>
            <Button type="submit" loading={save.isPending} data-testid="agreement-submit">
              {t('countries.agreements.save')}
            </Button>
            <Button variant="default" onClick={onDone}>
              {t('common.close')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function CriterionText({ criterion: c }: { readonly criterion: AgreementCriterion }) {
  const { t } = useTranslation();
  const kind = t(`countries.agreements.kinds.${c.kind}`);
  const value = c.kind === 'document_required' ? `: ${c.document}` : c.kind === 'max_age' ? `: ${c.years}` : '';
  const applies = c.appliesTo ? ` (${t(`countries.agreements.applies.${c.appliesTo}`)})` : '';
  return <>{`${kind}${value}${applies}`}</>;
}

/** The country's agreements: fees, documents, conditions, validity; the coordinator adds and edits them. */
export function AgreementsPanel({ code, agreements, keep }: { readonly code: string; readonly agreements: readonly Agreement[]; readonly keep: boolean }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<Agreement | 'new' | null>(null);
  return (
    <Stack gap="md" data-testid="agreements-panel">
      <Group justify="flex-end">
        <ExportMenu url={`/api/v1/countries/${encodeURIComponent(code)}/agreements/export`} testId="agreements-export" list={t('countries.tabs.agreements')} />
      </Group>
      {keep &&
        (editing ? (
          <AgreementForm key={editing === 'new' ? 'new' : editing.id} code={code} agreement={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />
        ) : (
          <Group>
            <Button onClick={() => setEditing('new')} data-testid="agreement-new">
              {t('countries.agreements.add')}
            </Button>
          </Group>
        ))}
      {agreements.length === 0 && (
        <Text c="dimmed" data-testid="agreements-empty">
          {t('countries.agreements.none')}
        </Text>
      )}
      {agreements.map((a) => (
        <Card withBorder key={a.id} data-testid="agreement" data-id={a.id} data-in-force={a.inForce ? 'true' : 'false'}>
          <Stack gap={6}>
            <Group justify="space-between" wrap="wrap">
              <Title order={3} size="h5" dir="auto">
                {a.title}
              </Title>
              <Group gap="xs">
                {a.inForce && (
                  <Badge color="green" variant="light">
                    {t('countries.agreements.inForce')}
                  </Badge>
                )}
                {keep && (
                  <Button size="compact-xs" variant="light" onClick={() => setEditing(a)} data-testid="agreement-edit">
                    {t('countries.agreements.edit')}
                  </Button>
                )}
              </Group>
            </Group>
            <Text size="sm">
              {t('countries.agreements.validity', { from: ltr(a.validFrom), until: a.validUntil ? ltr(a.validUntil) : t('countries.agreements.openEnded') })}
              {a.signedOn ? ` · ${t('countries.agreements.signedOnDate', { date: ltr(a.signedOn) })}` : ''}
            </Text>
            <Text size="sm" data-testid="agreement-fees">
              {t('countries.agreements.fees', { child: ltr(a.feePerChild), adult: ltr(a.feePerAdult), currency: a.currency })}
            </Text>
            {a.documentsRequired.length > 0 && (
              <Text size="sm">
                {t('countries.agreements.documentsRequired')}: <bdi>{a.documentsRequired.join(', ')}</bdi>
              </Text>
            )}
            {a.conditions && (
              <Text size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
                {a.conditions}
              </Text>
            )}
            {a.criteria.length > 0 && (
              <>
                <Text size="sm" fw={600}>
                  {t('countries.agreements.criteria')}
                </Text>
                <List size="sm">
                  {a.criteria.map((c) => (
                    <List.Item key={JSON.stringify(c)}>
                      <CriterionText criterion={c} />
                    </List.Item>
                  ))}
                </List>
              </>
            )}
            {a.hasDocument && (
              <Anchor size="sm" href={agreementDocumentUrl(a.id)} target="_blank" rel="noopener" data-testid="agreement-document">
                {t('countries.agreements.viewScan')}
              </Anchor>
            )}
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}
