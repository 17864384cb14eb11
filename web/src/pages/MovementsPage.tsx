import { Anchor, Badge, Button, Group, Loader, Modal, NativeSelect, NumberInput, Paper, SegmentedControl, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, fieldError } from '../api/client';
import { INVOICES_KEY, type Invoice, LEDGER_CSV_URL, MOVEMENT_STATUSES, MOVEMENTS_KEY, type MovementKind, type MovementMode, type MovementStatus, mayPlanMovements, maySeeInvoices, movementsApi } from '../api/movements';
import { useCountries, useCountryName } from '../api/queries';
import type { User } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { ExportMenu } from '../components/ExportMenu';
import { PageTitle } from '../components/PageTitle';
import { movementPath } from '../navigation';
import { currentQuery, navigate, onLinkClick, replaceQuery } from '../router/router';

const STATUS_COLOR: Readonly<Record<MovementStatus, string>> = { planned: 'blue', manifest_locked: 'violet', departed: 'orange', completed: 'green', cancelled: 'gray' };

export function MovementStatusBadge({ status }: { readonly status: MovementStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" className="hw-badge" data-testid="movement-status" data-status={status}>
      {t(`movements.statuses.${status}`)}
    </Badge>
  );
}

const todayIso = () => new Date().toISOString().slice(0, 10);

/** "Plan a movement": a repatriation to a country or a transfer between holding authorities, by air or land. */
function PlanForm({ onClose }: { readonly onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const countries = useCountries();
  const countryName = useCountryName();
  const facilities = useQuery({ queryKey: ['facilities', 'all'], queryFn: () => api.get<{ data: { id: string; name: string }[] }>('/facilities', { limit: 500 }) });
  const [kind, setKind] = useState<MovementKind>('repatriation');
  const [mode, setMode] = useState<MovementMode>('air');
  const [countryCode, setCountryCode] = useState('');
  const [fromPlace, setFromPlace] = useState('Baghdad');
  const [toPlace, setToPlace] = useState('');
  const [carrier, setCarrier] = useState('');
  const [flightNumber, setFlightNumber] = useState('');
  const [departureDate, setDepartureDate] = useState(todayIso());
  const [capacity, setCapacity] = useState<number | string>(40);
  const [toFacilityId, setToFacilityId] = useState('');
  const plan = useMutation({
    mutationFn: () =>
      movementsApi.plan({
        kind,
        mode,
        fromPlace: fromPlace.trim(),
        toPlace: toPlace.trim(),
        departureDate,
        capacity: Number(capacity),
        ...(kind === 'repatriation' && countryCode ? { countryCode } : {}),
        ...(carrier.trim() ? { carrier: carrier.trim() } : {}),
        ...(flightNumber.trim() ? { flightNumber: flightNumber.trim().toUpperCase() } : {}),
        ...(kind === 'transfer' && toFacilityId ? { toFacilityId } : {}),
      }),
    onSuccess: (m) => {
      void client.invalidateQueries({ queryKey: MOVEMENTS_KEY });
      onClose();
      navigate(movementPath(m.id));
    },
  });
  const options = useMemo(() => {
    const collator = new Intl.Collator(i18n.language);
    return (countries.data ?? []).map((c) => ({ value: c.code, label: countryName(c.code, countries.data) })).sort((a, b) => collator.compare(a.label, b.label));
  }, [countries.data, countryName, i18n.language]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    plan.mutate();
  };
  const err = (field: string) => fieldError(plan.error, field);
  return (
    <Modal opened onClose={onClose} title={t('movements.plan.title')} size="lg" lockScroll={false} data-testid="plan-modal">
      <form onSubmit={submit} noValidate data-testid="plan-form">
        <Stack gap="sm">
          <SegmentedControl value={kind} onChange={(v) => setKind(v as MovementKind)} data={[{ value: 'repatriation', label: t('movements.kinds.repatriation') }, { value: 'transfer', label: t('movements.kinds.transfer') }]} data-testid="plan-kind" />
          <SegmentedControl value={mode} onChange={(v) => setMode(v as MovementMode)} data={[{ value: 'air', label: t('movements.modes.air') }, { value: 'land', label: t('movements.modes.land') }]} data-testid="plan-mode" />
          {kind === 'repatriation' ? (
            <NativeSelect label={t('movements.fields.country')} required value={countryCode} onChange={(e) => setCountryCode(e.currentTarget.value)} data={[{ value: '', label: t('identification.chooseCountry') }, ...options]} error={err('countryCode')} data-testid="plan-country" />
          ) : (
            <NativeSelect label={t('movements.fields.toFacility')} value={toFacilityId} onChange={(e) => setToFacilityId(e.currentTarget.value)} data={[{ value: '', label: t('common.none') }, ...(facilities.data?.data ?? []).map((f) => ({ value: f.id, label: f.name }))]} error={err('toFacilityId')} data-testid="plan-facility" />
          )}
          <Group grow>
            <TextInput label={t('movements.fields.from')} required value={fromPlace} onChange={(e) => setFromPlace(e.currentTarget.value)} maxLength={200} error={err('fromPlace')} data-testid="plan-from" />
            <TextInput label={t('movements.fields.to')} required value={toPlace} onChange={(e) => setToPlace(e.currentTarget.value)} maxLength={200} error={err('toPlace')} data-testid="plan-to" />
          </Group>
          <Group grow>
            <TextInput label={t('movements.fields.carrier')} value={carrier} onChange={(e) => setCarrier(e.currentTarget.value)} maxLength={200} error={err('carrier')} data-testid="plan-carrier" />
            <TextInput label={t('movements.fields.flightNumber')} value={flightNumber} onChange={(e) => setFlightNumber(e.currentTarget.value)} maxLength={20} error={err('flightNumber')} data-testid="plan-flight" />
          </Group>
          <Group grow>
            <TextInput type="date" label={t('movements.fields.date')} required value={departureDate} onChange={(e) => setDepartureDate(e.currentTarget.value)} error={err('departureDate')} data-testid="plan-date" />
            <NumberInput label={t('movements.fields.capacity')} required min={1} max={1000} value={capacity} onChange={setCapacity} error={err('capacity')} data-testid="plan-capacity" />
          </Group>
          {plan.error && <ErrorAlert error={plan.error} testId="plan-error" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('personEdit.cancel')}
            </Button>
            <Button type="submit" loading={plan.isPending} data-testid="plan-submit">
              {t('movements.plan.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function MovementList() {
  const { t } = useTranslation();
  const countryName = useCountryName();
  const [status, setStatus] = useState(() => currentQuery().get('status') ?? '');
  const list = useQuery({ queryKey: [...MOVEMENTS_KEY, 'list', status], queryFn: () => movementsApi.list({ status }, null, 200) });
  return (
    <Stack gap="sm">
      <Group align="flex-end">
        <NativeSelect
          label={t('movements.fields.status')}
          value={status}
          onChange={(e) => {
            setStatus(e.currentTarget.value);
            const q = currentQuery();
            if (e.currentTarget.value) q.set('status', e.currentTarget.value);
            else q.delete('status');
            replaceQuery(q);
          }}
          data={[{ value: '', label: t('registry.any') }, ...MOVEMENT_STATUSES.map((s) => ({ value: s, label: t(`movements.statuses.${s}`) }))]}
          data-testid="movements-filter-status"
        />
        <ExportMenu url="/api/v1/movements/export" filters={{ status }} testId="movements-export" />
      </Group>
      {list.isPending ? (
        <Loader aria-label={t('common.loading')} />
      ) : list.isError ? (
        <ErrorAlert error={list.error} />
      ) : list.data.data.length === 0 ? (
        <Text c="dimmed" data-testid="movements-empty">
          {t('movements.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={800}>
          <Table striped data-testid="movements-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('movements.fields.reference')}</Table.Th>
                <Table.Th>{t('movements.fields.date')}</Table.Th>
                <Table.Th>{t('movements.fields.kind')}</Table.Th>
                <Table.Th>{t('movements.fields.route')}</Table.Th>
                <Table.Th>{t('movements.fields.flight')}</Table.Th>
                <Table.Th>{t('movements.fields.passengers')}</Table.Th>
                <Table.Th>{t('movements.fields.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.data.map((m) => (
                <Table.Tr key={m.id} data-testid="movement-row" data-status={m.status} data-reference={m.reference}>
                  <Table.Td>
                    <Anchor href={movementPath(m.id)} onClick={onLinkClick(movementPath(m.id))} data-testid="movement-link">
                      {m.reference}
                    </Anchor>
                  </Table.Td>
                  <Table.Td className="hw-nowrap">{m.departureDate}</Table.Td>
                  <Table.Td>
                    {t(`movements.kinds.${m.kind}`)}
                    {m.countryCode ? ` · ${countryName(m.countryCode)}` : ''}
                  </Table.Td>
                  <Table.Td dir="auto">
                    <bdi>{m.fromPlace}</bdi> → <bdi>{m.toPlace}</bdi>
                  </Table.Td>
                  <Table.Td>{[m.carrier, m.flightNumber].filter(Boolean).join(' · ') || t('common.none')}</Table.Td>
                  <Table.Td>{t('movements.seatsOf', { passengers: m.passengers, capacity: m.capacity })}</Table.Td>
                  <Table.Td>
                    <MovementStatusBadge status={m.status} />
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

/** A payment received, partial or whole. */
function PaymentForm({ invoice, onClose }: { readonly invoice: Invoice; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [receivedOn, setReceivedOn] = useState(todayIso());
  const [amount, setAmount] = useState(invoice.balance);
  const [reference, setReference] = useState('');
  const pay = useMutation({
    mutationFn: () => movementsApi.pay(invoice.id, { receivedOn, amount: amount.trim(), ...(reference.trim() ? { reference: reference.trim() } : {}) }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: INVOICES_KEY });
      void client.invalidateQueries({ queryKey: MOVEMENTS_KEY });
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('invoices.pay.title', { number: invoice.number })} lockScroll={false} data-testid="payment-modal">
      <form
        noValidate
        data-testid="payment-form"
        onSubmit={(e) => {
          e.preventDefault();
          pay.mutate();
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{t('invoices.pay.owed', { amount: invoice.balance, currency: invoice.currency })}</Text>
          <TextInput type="date" label={t('invoices.fields.receivedOn')} required value={receivedOn} onChange={(e) => setReceivedOn(e.currentTarget.value)} error={fieldError(pay.error, 'receivedOn')} data-testid="payment-date" />
          <TextInput label={t('invoices.fields.amount', { currency: invoice.currency })} required value={amount} onChange={(e) => setAmount(e.currentTarget.value)} inputMode="decimal" dir="ltr" error={fieldError(pay.error, 'amount')} data-testid="payment-amount" />
          <TextInput label={t('invoices.fields.reference')} value={reference} onChange={(e) => setReference(e.currentTarget.value)} maxLength={200} data-testid="payment-reference" />
          {pay.error && <ErrorAlert error={pay.error} testId="payment-error" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('personEdit.cancel')}
            </Button>
            <Button type="submit" loading={pay.isPending} data-testid="payment-submit">
              {t('invoices.pay.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** One invoice: lines, payments, paid and balance; the coordinator records payments. */
export function InvoiceCard({ invoice, user }: { readonly invoice: Invoice; readonly user: User }) {
  const { t } = useTranslation();
  const countryName = useCountryName();
  const [paying, setPaying] = useState(false);
  return (
    <Paper withBorder p="md" data-testid="invoice" data-number={invoice.number} data-status={invoice.status} data-balance={invoice.balance}>
      <Group justify="space-between" align="flex-start" wrap="wrap" mb="xs">
        <div>
          <Title order={3} size="h5">
            {t('invoices.invoiceTitle', { number: invoice.number })}
          </Title>
          <Text size="sm" c="dimmed">
            {countryName(invoice.countryCode)} ·{' '}
            <Anchor href={movementPath(invoice.movementId)} onClick={onLinkClick(movementPath(invoice.movementId))} size="sm">
              {invoice.movementReference}
            </Anchor>{' '}
            · {t('invoices.issuedDue', { issued: invoice.issuedOn, due: invoice.dueOn })}
          </Text>
        </div>
        <Badge variant="light" color={invoice.status === 'paid' ? 'green' : invoice.status === 'partly_paid' ? 'yellow' : 'blue'} className="hw-badge" data-testid="invoice-status">
          {t(`invoices.statuses.${invoice.status}` as 'invoices.statuses.issued', { defaultValue: invoice.status })}
        </Badge>
      </Group>
      <Table fz="sm" mb="xs">
        <Table.Tbody>
          {invoice.lines.map((l) => (
            <Table.Tr key={l.position}>
              <Table.Td>{l.description}</Table.Td>
              <Table.Td dir="ltr">
                {l.count} × {l.unitAmount} {invoice.currency}
              </Table.Td>
              <Table.Td dir="ltr">
                {l.amount} {invoice.currency}
              </Table.Td>
            </Table.Tr>
          ))}
          {invoice.payments.map((p) => (
            <Table.Tr key={p.id} data-testid="invoice-payment">
              <Table.Td>{t('invoices.paymentOn', { date: p.receivedOn })}{p.reference ? ` · ${p.reference}` : ''}</Table.Td>
              <Table.Td />
              <Table.Td dir="ltr">
                −{p.amount} {invoice.currency}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" data-testid="invoice-totals">
          {t('invoices.totals', { total: invoice.total, paid: invoice.paid, balance: invoice.balance, currency: invoice.currency })}
        </Text>
        {mayPlanMovements(user) && invoice.status !== 'paid' && invoice.status !== 'cancelled' && (
          <Button size="compact-sm" onClick={() => setPaying(true)} data-testid="invoice-pay">
            {t('invoices.pay.open')}
          </Button>
        )}
      </Group>
      {paying && <PaymentForm invoice={invoice} onClose={() => setPaying(false)} />}
    </Paper>
  );
}

/** Invoices and payments, the balance per country and currency, the ledger as CSV. */
function InvoicesTab({ user }: { readonly user: User }) {
  const { t } = useTranslation();
  const countryName = useCountryName();
  const invoices = useQuery({ queryKey: [...INVOICES_KEY, 'list'], queryFn: movementsApi.invoices });
  const ledger = useQuery({ queryKey: [...INVOICES_KEY, 'ledger'], queryFn: movementsApi.ledger });
  return (
    <Stack gap="md" data-testid="invoices-tab">
      <Paper withBorder p="md" data-testid="ledger">
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4">
            {t('invoices.balancesTitle')}
          </Title>
          <Group gap="xs">
            <Button component="a" href={LEDGER_CSV_URL} download variant="light" size="compact-sm" data-testid="ledger-csv">
              {t('invoices.csv')}
            </Button>
            <ExportMenu url="/api/v1/invoices/export" testId="ledger-export" />
          </Group>
        </Group>
        {ledger.isError ? (
          <ErrorAlert error={ledger.error} />
        ) : !ledger.data ? (
          <Loader size="sm" />
        ) : ledger.data.balances.length === 0 ? (
          <Text c="dimmed">{t('invoices.none')}</Text>
        ) : (
          <Table fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('invoices.fields.country')}</Table.Th>
                <Table.Th>{t('invoices.fields.total')}</Table.Th>
                <Table.Th>{t('invoices.fields.paid')}</Table.Th>
                <Table.Th>{t('invoices.fields.balance')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {ledger.data.balances.map((b) => (
                <Table.Tr key={`${b.countryCode}:${b.currency}`} data-testid="ledger-balance" data-country={b.countryCode} data-balance={b.balance}>
                  <Table.Td>{countryName(b.countryCode)}</Table.Td>
                  <Table.Td dir="ltr">
                    {b.total} {b.currency}
                  </Table.Td>
                  <Table.Td dir="ltr">
                    {b.paid} {b.currency}
                  </Table.Td>
                  <Table.Td dir="ltr">
                    {b.balance} {b.currency}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      {invoices.isError ? <ErrorAlert error={invoices.error} /> : !invoices.data ? <Loader size="sm" /> : invoices.data.data.map((i) => <InvoiceCard key={i.id} invoice={i} user={user} />)}
    </Stack>
  );
}

/** The movement planner: movements by status, "Plan a movement", and (coordinator, embassy) invoices. */
export function MovementsPage({ user }: { readonly user: User }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState(() => (currentQuery().get('tab') === 'invoices' && maySeeInvoices(user) ? 'invoices' : 'movements'));
  const [planning, setPlanning] = useState(false);
  return (
    <Stack gap="md" data-testid="movements-page">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <PageTitle>{t('movements.title')}</PageTitle>
        {mayPlanMovements(user) && (
          <Button onClick={() => setPlanning(true)} data-testid="movement-plan">
            {t('movements.plan.open')}
          </Button>
        )}
      </Group>
      <Text>{user.role === 'embassy' ? t('movements.introEmbassy') : t('movements.intro')}</Text>
      <Tabs
        value={tab}
        onChange={(v) => {
          const next = v === 'invoices' ? 'invoices' : 'movements';
          setTab(next);
          replaceQuery(new URLSearchParams(next === 'invoices' ? { tab: 'invoices' } : {}));
        }}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="movements" data-testid="movements-tab-list">
            {t('movements.tabs.movements')}
          </Tabs.Tab>
          {maySeeInvoices(user) && (
            <Tabs.Tab value="invoices" data-testid="movements-tab-invoices">
              {t('movements.tabs.invoices')}
            </Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="movements">
          <MovementList />
        </Tabs.Panel>
        {maySeeInvoices(user) && (
          <Tabs.Panel value="invoices">
            <InvoicesTab user={user} />
          </Tabs.Panel>
        )}
      </Tabs>
      {planning && <PlanForm onClose={() => setPlanning(false)} />}
    </Stack>
  );
}
