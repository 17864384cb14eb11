import { Alert, Badge, Button, Card, CopyButton, Group, Loader, NativeSelect, SimpleGrid, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type CountryNames,
  DASHBOARD_KEY,
  type Dashboard,
  EXPORT_FORMATS,
  type PublicTable,
  STATEMENT_LANGUAGES,
  type StatementLanguage,
  dashboardExportUrl,
  figuresApi,
  mayPublishFigures,
  publicExportUrl,
  publicKey,
} from '../api/figures';
import type { User } from '../api/types';
import { type ChartOption, EChart } from '../components/EChart';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageTitle } from '../components/PageTitle';
import { LANGUAGE_NAMES } from '../i18n';
import { currentQuery, replaceQuery } from '../router/router';

type Tab = 'dashboard' | 'public';
const PIPELINE = ['identification', 'nationality_verification', 'assessment', 'clearance', 'approved', 'scheduled', 'departed', 'handed_over', 'closed', 'on_hold', 'rejected', 'withdrawn'] as const;
const KINDS = ['child', 'juvenile', 'adult'] as const;
const STATUSES = ['held', 'on_case', 'returned', 'other'] as const;
const AGENCIES = ['coordinator', 'judiciary', 'custody', 'security'] as const;

const today = () => new Date().toISOString().slice(0, 10);
const nameIn = (names: CountryNames | undefined, code: string, language: string): string => (names ? (names as unknown as Record<string, string>)[language] || names.en : code);

/** Chart pieces that follow the page's direction: in Arabic the category axis runs from the right, the value axis and the legend sit on the right. */
function useChartFrame() {
  const { i18n } = useTranslation();
  const rtl = i18n.dir(i18n.language) === 'rtl';
  return useMemo(
    () => ({
      rtl,
      legend: { top: 0, type: 'scroll' as const, ...(rtl ? { right: 0, align: 'right' as const } : { left: 0, align: 'left' as const }) },
      grid: { top: 40, bottom: 8, left: 12, right: 12, containLabel: true },
      textStyle: { fontFamily: 'system-ui, "Noto Sans", "Noto Sans Arabic", sans-serif' },
      category: (data: string[], extra: Record<string, unknown> = {}) => ({ type: 'category' as const, data, inverse: rtl, axisLabel: { interval: 0, hideOverlap: true, width: 110, overflow: 'truncate' as const }, ...extra }),
      value: (extra: Record<string, unknown> = {}) => ({ type: 'value' as const, position: rtl ? ('right' as const) : ('left' as const), minInterval: 1, ...extra }),
    }),
    [rtl],
  );
}

function ChartCard({ title, testId, children, note }: { readonly title: string; readonly testId: string; readonly children: React.ReactNode; readonly note?: string }) {
  return (
    <Card withBorder padding="md" data-testid={`${testId}-card`}>
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      {children}
      {note && (
        <Text size="xs" c="dimmed" mt="xs">
          {note}
        </Text>
      )}
    </Card>
  );
}

/** The dashboard: the figures now, as far as the user may see them (an embassy: its own country). */
function DashboardView({ user }: { readonly user: User }) {
  const { t, i18n } = useTranslation();
  const frame = useChartFrame();
  const query = useQuery({ queryKey: DASHBOARD_KEY, queryFn: figuresApi.dashboard });
  const d: Dashboard | undefined = query.data;
  const options = useMemo(() => (d ? dashboardOptions(d, frame, (key: string) => String(t(key as 'nav.figures')), i18n.language) : null), [d, frame, t, i18n.language]);
  if (query.isPending) return <Loader aria-label={t('common.loading')} />;
  if (query.isError) return <ErrorAlert error={query.error} />;
  if (!d || !options) return null;
  const returned = d.people.filter((p) => p.status === 'returned');
  const returnedPeople = returned.reduce((s, p) => s + p.count, 0);
  const returnedChildren = returned.filter((p) => p.kind !== 'adult').reduce((s, p) => s + p.count, 0);
  const held = d.people.filter((p) => p.status !== 'returned' && p.status !== 'other').reduce((s, p) => s + p.count, 0);
  const all = d.daysToReturn.find((r) => r.countryCode === null);
  return (
    <Stack data-testid="figures-dashboard">
      <Group justify="space-between" align="flex-start">
        <Text c="dimmed" size="sm">
          {d.scope.countryCode ? t('figures.dashboard.scopeCountry', { country: nameIn(d.countries[d.scope.countryCode], d.scope.countryCode, i18n.language), date: d.asOf }) : t('figures.dashboard.scopeAll', { date: d.asOf })}
        </Text>
        <Group gap="xs">
          {EXPORT_FORMATS.map((f) => (
            <Button key={f} component="a" href={dashboardExportUrl(f)} download size="xs" variant="light" data-testid={`dashboard-export-${f}`}>
              {t(`figures.export.${f}`)}
            </Button>
          ))}
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <Stat label={t('figures.dashboard.returnedPeople')} value={returnedPeople} testId="figures-returned" />
        <Stat label={t('figures.dashboard.returnedChildren')} value={returnedChildren} testId="figures-returned-children" />
        <Stat label={t('figures.dashboard.stillHeld')} value={held} testId="figures-held" />
        <Stat label={t('figures.dashboard.medianDays')} value={all ? all.median : '—'} testId="figures-median-days" />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <ChartCard title={t('figures.charts.nationalityKind')} testId="chart-nationality-kind">
          <EChart option={options.nationalityKind} testId="chart-nationality-kind" label={t('figures.charts.nationalityKind')} />
        </ChartCard>
        <ChartCard title={t('figures.charts.nationalityStatus')} testId="chart-nationality-status">
          <EChart option={options.nationalityStatus} testId="chart-nationality-status" label={t('figures.charts.nationalityStatus')} />
        </ChartCard>
        <ChartCard title={t('figures.charts.pipeline')} testId="chart-pipeline">
          <EChart option={options.pipeline} testId="chart-pipeline" label={t('figures.charts.pipeline')} />
        </ChartCard>
        <ChartCard title={t('figures.charts.returnsByMonth')} testId="chart-returns" note={d.returnsByMonth.length === 0 ? t('figures.charts.noReturns') : undefined}>
          <EChart option={options.returns} testId="chart-returns" label={t('figures.charts.returnsByMonth')} />
        </ChartCard>
        <ChartCard title={user.role === 'embassy' ? t('figures.charts.occupancyEmbassy') : t('figures.charts.occupancy')} testId="chart-occupancy">
          <EChart option={options.occupancy} height={Math.max(240, 60 + d.occupancy.length * 36)} testId="chart-occupancy" label={t('figures.charts.occupancy')} />
        </ChartCard>
        <ChartCard title={t('figures.charts.clearances')} testId="chart-clearances" note={t('figures.charts.clearancesNote')}>
          <EChart option={options.clearances} testId="chart-clearances" label={t('figures.charts.clearances')} />
        </ChartCard>
        <ChartCard
          title={t('figures.charts.daysToReturn')}
          testId="chart-days"
          note={all ? t('figures.charts.daysAll', { median: all.median, p90: all.p90, people: all.people }) : t('figures.charts.noReturns')}
        >
          <EChart option={options.days} testId="chart-days" label={t('figures.charts.daysToReturn')} />
        </ChartCard>
      </SimpleGrid>
    </Stack>
  );
}

function Stat({ label, value, testId }: { readonly label: string; readonly value: number | string; readonly testId: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={28} fw={700} data-testid={testId}>
        {value}
      </Text>
    </Card>
  );
}

type Frame = ReturnType<typeof useChartFrame>;
/** A translator by dynamic key (the keys are built from the figures' values). */
type T = (key: string) => string;

/** Every chart's option from the dashboard's figures, in the user's language and direction. */
function dashboardOptions(d: Dashboard, frame: Frame, t: T, language: string): Record<'nationalityKind' | 'nationalityStatus' | 'pipeline' | 'returns' | 'occupancy' | 'clearances' | 'days', ChartOption> {
  const country = (code: string | null) => (code === null ? t('figures.unknownNationality') : nameIn(d.countries[code], code, language));
  const base = { legend: frame.legend, grid: frame.grid, textStyle: frame.textStyle, tooltip: { trigger: 'axis' as const } };

  // People: nationalities with the most people first.
  const totals = new Map<string | null, number>();
  for (const p of d.people) totals.set(p.countryCode, (totals.get(p.countryCode) ?? 0) + p.count);
  const nations = [...totals.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0]))).map(([c]) => c);
  const count = (code: string | null, pick: (p: Dashboard['people'][number]) => boolean) => d.people.filter((p) => p.countryCode === code && pick(p)).reduce((s, p) => s + p.count, 0);
  const nationAxis = frame.category(nations.map(country), { axisLabel: { interval: 0, rotate: nations.length > 6 ? 40 : 0, width: 90, overflow: 'truncate' } });

  const months = [...new Set(d.returnsByMonth.map((r) => r.month))].sort();
  const returnCountries = [...new Set(d.returnsByMonth.map((r) => r.countryCode))].sort();
  const byAgency = (a: string) => d.pendingClearances.filter((p) => p.agency === a).reduce((s, p) => s + p.members, 0);
  const days = d.daysToReturn.filter((r) => r.countryCode !== null);

  return {
    nationalityKind: {
      ...base,
      xAxis: nationAxis,
      yAxis: frame.value(),
      series: KINDS.map((k) => ({ type: 'bar' as const, stack: 'kind', name: t(`registry.kinds.${k}`), data: nations.map((n) => count(n, (p) => p.kind === k)) })),
    },
    nationalityStatus: {
      ...base,
      xAxis: nationAxis,
      yAxis: frame.value(),
      series: STATUSES.map((s) => ({ type: 'bar' as const, stack: 'status', name: t(`figures.statuses.${s}`), data: nations.map((n) => count(n, (p) => p.status === s)) })),
    },
    pipeline: {
      ...base,
      legend: { show: false },
      xAxis: frame.category(
        PIPELINE.map((s) => t(`cases.states.${s}`)),
        { axisLabel: { interval: 0, rotate: 40, width: 100, overflow: 'truncate' } },
      ),
      yAxis: frame.value(),
      series: [{ type: 'bar' as const, name: t('figures.charts.cases'), data: PIPELINE.map((s) => d.cases.filter((c) => c.state === s).reduce((n, c) => n + c.count, 0)) }],
    },
    returns: {
      ...base,
      xAxis: frame.category(months),
      yAxis: frame.value(),
      series: returnCountries.map((c) => ({ type: 'bar' as const, stack: 'returns', name: country(c), data: months.map((m) => d.returnsByMonth.find((r) => r.month === m && r.countryCode === c)?.people ?? 0) })),
    },
    occupancy: {
      ...base,
      grid: { ...frame.grid, top: 36 },
      // Facilities down the side; the value axis runs right to left in Arabic.
      yAxis: { type: 'category', data: d.occupancy.map((f) => f.name), inverse: true, position: frame.rtl ? 'right' : 'left', axisLabel: { width: 140, overflow: 'truncate' } },
      xAxis: { type: 'value', inverse: frame.rtl, minInterval: 1 },
      series: [
        { type: 'bar', name: t('figures.charts.held'), data: d.occupancy.map((f) => ({ value: f.held, itemStyle: { color: f.held > f.capacity ? '#c92a2a' : '#1c7ed6' } })) },
        { type: 'bar', name: t('figures.charts.capacity'), data: d.occupancy.map((f) => f.capacity), itemStyle: { color: '#adb5bd' } },
      ],
    },
    clearances: {
      ...base,
      legend: { show: false },
      xAxis: frame.category(AGENCIES.map((a) => t(`roles.${a}`))),
      yAxis: frame.value(),
      series: [{ type: 'bar' as const, name: t('figures.charts.pendingMembers'), data: AGENCIES.map(byAgency), itemStyle: { color: '#f08c00' } }],
    },
    days: {
      ...base,
      xAxis: frame.category(days.map((r) => country(r.countryCode))),
      yAxis: frame.value(),
      series: [
        { type: 'bar' as const, name: t('figures.charts.median'), data: days.map((r) => r.median) },
        { type: 'bar' as const, name: t('figures.charts.p90'), data: days.map((r) => r.p90) },
      ],
    },
  };
}

// ---- public statistics -------------------------------------------------------------------------

function PublicTableView({ table, language }: { readonly table: PublicTable; readonly language: string }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="md" data-testid={`public-table-${table.id}`}>
      <Title order={3} size="h5" mb="xs">
        {t(`figures.public.tables.${table.id}`)}
      </Title>
      {table.rows.length === 0 ? (
        <Text c="dimmed" data-testid="public-table-empty">
          {t('figures.public.nobody')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={420}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('figures.public.nationality')}</Table.Th>
                {table.columns.map((c) => (
                  <Table.Th key={c}>{t(`figures.public.columns.${c}`)}</Table.Th>
                ))}
                <Table.Th>{t('figures.public.total')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {table.rows.map((r) => (
                <Table.Tr key={r.countryCode ?? 'unknown'} data-testid="public-row" data-code={r.countryCode ?? ''}>
                  <Table.Td>{r.countryCode ? nameIn(r.names, r.countryCode, language) : t('figures.unknownNationality')}</Table.Td>
                  {r.cells.map((c, i) => (
                    <Table.Td key={table.columns[i]} data-testid="public-cell">
                      <bdi>{c}</bdi>
                    </Table.Td>
                  ))}
                  <Table.Td data-testid="public-cell">
                    <bdi>{r.total}</bdi>
                  </Table.Td>
                </Table.Tr>
              ))}
              <Table.Tr fw={700}>
                <Table.Td>{t('figures.public.total')}</Table.Td>
                {table.totals.map((c, i) => (
                  <Table.Td key={table.columns[i]} data-testid="public-cell">
                    <bdi>{c}</bdi>
                  </Table.Td>
                ))}
                <Table.Td data-testid="public-grand-total">
                  <bdi>{table.grandTotal}</bdi>
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {table.suppressed.primary + table.suppressed.secondary > 0 && (
        <Badge variant="light" color="gray" mt="xs" data-testid="public-suppressed">
          {t('figures.public.suppressedCount', { primary: table.suppressed.primary, secondary: table.suppressed.secondary })}
        </Badge>
      )}
    </Card>
  );
}

/** The one-click statement, in any of the four languages, ready to copy. */
function StatementPanel({ asOf }: { readonly asOf: string }) {
  const { t, i18n } = useTranslation();
  const initial = (STATEMENT_LANGUAGES as readonly string[]).includes(i18n.language) ? (i18n.language as StatementLanguage) : 'en';
  const [language, setLanguage] = useState<StatementLanguage>(initial);
  const [asked, setAsked] = useState<{ asOf: string; language: StatementLanguage } | null>(null);
  const statement = useQuery({
    queryKey: ['figures', 'statement', asked?.asOf, asked?.language],
    queryFn: () => figuresApi.statement(asked?.asOf ?? asOf, asked?.language ?? language),
    enabled: asked !== null,
  });
  return (
    <Card withBorder padding="md" data-testid="statement-panel">
      <Title order={3} size="h5" mb="xs">
        {t('figures.statement.title')}
      </Title>
      <Group align="flex-end">
        <NativeSelect
          label={t('figures.statement.language')}
          value={language}
          onChange={(e) => setLanguage(e.currentTarget.value as StatementLanguage)}
          data={STATEMENT_LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
          data-testid="statement-language"
        />
        <Button onClick={() => setAsked({ asOf, language })} data-testid="statement-generate">
          {t('figures.statement.generate')}
        </Button>
      </Group>
      {statement.isFetching && <Loader size="sm" mt="sm" aria-label={t('common.loading')} />}
      {statement.isError && <ErrorAlert error={statement.error} />}
      {statement.data && !statement.isFetching && (
        <Stack gap="xs" mt="sm">
          <Alert color="blue" variant="light">
            <Text dir={statement.data.language === 'ar' ? 'rtl' : 'ltr'} lang={statement.data.language} data-testid="statement-text">
              {statement.data.text}
            </Text>
          </Alert>
          <Group>
            <CopyButton value={statement.data.text}>
              {({ copied, copy }) => (
                <Button size="xs" variant="light" color={copied ? 'teal' : 'blue'} onClick={copy} data-testid="statement-copy">
                  {copied ? t('figures.statement.copied') : t('figures.statement.copy')}
                </Button>
              )}
            </CopyButton>
            <Text size="xs" c="dimmed">
              {t('figures.statement.rule')}
            </Text>
          </Group>
        </Stack>
      )}
    </Card>
  );
}

function PublicView() {
  const { t, i18n } = useTranslation();
  const [asOf, setAsOf] = useState(() => currentQuery().get('asOf') ?? today());
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(asOf) && asOf <= today();
  const query = useQuery({ queryKey: publicKey(asOf), queryFn: () => figuresApi.public(asOf), enabled: valid });
  return (
    <Stack data-testid="figures-public">
      <Group align="flex-end" justify="space-between">
        <TextInput
          type="date"
          label={t('figures.public.asOf')}
          value={asOf}
          max={today()}
          onChange={(e) => {
            const value = e.currentTarget.value;
            setAsOf(value);
            const params = currentQuery();
            params.set('asOf', value);
            replaceQuery(params);
          }}
          error={valid ? undefined : t('figures.public.asOfInvalid')}
          data-testid="public-as-of"
        />
        <Group gap="xs">
          {EXPORT_FORMATS.map((f) => (
            <Button key={f} component="a" href={valid ? publicExportUrl(asOf, f) : undefined} download size="sm" variant="light" disabled={!valid} data-testid={`public-export-${f}`}>
              {t(`figures.export.${f}`)}
            </Button>
          ))}
        </Group>
      </Group>
      <Text size="sm" c="dimmed" data-testid="public-rule">
        {t('figures.public.rule', { small: '<5', secondary: 'x' })}
      </Text>
      {query.isPending && valid && <Loader aria-label={t('common.loading')} />}
      {query.isError && <ErrorAlert error={query.error} />}
      {query.data && (
        <>
          <Text fw={600} data-testid="public-as-of-shown">
            {t('figures.public.asOfShown', { date: query.data.asOf })}
          </Text>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {query.data.tables.map((table) => (
              <PublicTableView key={table.id} table={table} language={i18n.language} />
            ))}
          </SimpleGrid>
        </>
      )}
      {valid && <StatementPanel asOf={asOf} />}
    </Stack>
  );
}

/** Figures: the dashboard and, for the coordinator, the public statistics with their exports and the statement. */
export function FiguresPage({ user }: { readonly user: User }) {
  const { t } = useTranslation();
  const publish = mayPublishFigures(user.role);
  const [tab, setTab] = useState<Tab>(() => (publish && currentQuery().get('tab') === 'public' ? 'public' : 'dashboard'));
  const change = (value: string | null) => {
    const next: Tab = value === 'public' && publish ? 'public' : 'dashboard';
    setTab(next);
    const params = new URLSearchParams();
    if (next === 'public') params.set('tab', 'public');
    replaceQuery(params);
  };
  return (
    <>
      <PageTitle>{t('nav.figures')}</PageTitle>
      <Tabs value={tab} onChange={change} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="dashboard" data-testid="figures-tab-dashboard">
            {t('figures.tabs.dashboard')}
          </Tabs.Tab>
          {publish && (
            <Tabs.Tab value="public" data-testid="figures-tab-public">
              {t('figures.tabs.public')}
            </Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="dashboard">
          <DashboardView user={user} />
        </Tabs.Panel>
        {publish && (
          <Tabs.Panel value="public">
            <PublicView />
          </Tabs.Panel>
        )}
      </Tabs>
    </>
  );
}
