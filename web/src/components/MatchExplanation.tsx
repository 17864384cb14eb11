import { Table, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { FieldContribution, MatchCandidate } from '../api/tracing';
import { useProbability } from './TracingStatus';

/** A weight of this many bits or more fills its half of the bar. */
const FULL_BAR_BITS = 10;

/** "consistent (within a month)" → "consistent_within_a_month": the engine's level names as translation keys. */
const slug = (level: string) =>
  level
    .toLowerCase()
    .replace(/[^a-z]+/g, '_')
    .replace(/^_+|_+$/g, '');

/** A field's name, a level's words, a value, in the user's language where known. */
export function useExplanationText() {
  const { t, i18n } = useTranslation();
  const field = (name: string) => (i18n.exists(`tracing.fields.${name}`) ? t(`tracing.fields.${name}` as 'tracing.fields.full_name') : name.replace(/_/g, ' '));
  const level = (name: string) => {
    const key = `tracing.levels.${slug(name)}`;
    return i18n.exists(key) ? t(key as 'tracing.levels.same') : name;
  };
  const value = (fieldName: string, raw: string | null) => {
    if (raw === null || raw === '') return t('tracing.matches.unknownValue');
    if (fieldName === 'sex') return raw === 'm' || raw === 'male' ? t('registry.sexes.male') : raw === 'f' || raw === 'female' ? t('registry.sexes.female') : raw;
    if (fieldName === 'nationality') return raw.toUpperCase();
    return raw;
  };
  return { field, level, value };
}

/** The weight as a bar from the middle: green towards the end for, red towards the start against; and the number. */
export function WeightBar({ weight }: { readonly weight: number }) {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1, minimumFractionDigits: 1, signDisplay: 'exceptZero' });
  const share = `${Math.min(1, Math.abs(weight) / FULL_BAR_BITS) * 100}%`;
  const side = weight > 0 ? 'for' : weight < 0 ? 'against' : 'none';
  return (
    <div className="hw-weight" data-testid="field-weight" data-weight={weight.toFixed(2)} data-side={side}>
      {/* Two halves in the page's direction: against grows from the middle towards the start, for towards the end. */}
      <div className="hw-weight-track" aria-hidden>
        <div className="hw-weight-half hw-weight-half-against">{side === 'against' && <div className="hw-weight-bar hw-weight-against" style={{ inlineSize: share }} />}</div>
        <div className="hw-weight-half">{side === 'for' && <div className="hw-weight-bar hw-weight-for" style={{ inlineSize: share }} />}</div>
      </div>
      <Text span size="sm" fw={600} c={side === 'for' ? 'green.8' : side === 'against' ? 'red.8' : 'dimmed'} className="hw-nowrap">
        <bdi>{number.format(weight)}</bdi>
      </Text>
      {side !== 'none' && <VisuallyHidden>{side === 'for' ? t('tracing.matches.for') : t('tracing.matches.against')}</VisuallyHidden>}
    </div>
  );
}

function FieldRow({ row }: { readonly row: FieldContribution }) {
  const text = useExplanationText();
  const unknown = row.left === null || row.right === null;
  return (
    <Table.Tr data-testid="explanation-row" data-field={row.field} data-level={row.level} title={row.text}>
      <Table.Td fw={500}>{text.field(row.field)}</Table.Td>
      <Table.Td dir="auto" className="hw-name" c={row.left === null ? 'dimmed' : undefined} data-testid="explanation-left">
        <bdi>{text.value(row.field, row.left)}</bdi>
      </Table.Td>
      <Table.Td dir="auto" className="hw-name" c={row.right === null ? 'dimmed' : undefined} data-testid="explanation-right">
        <bdi>{text.value(row.field, row.right)}</bdi>
      </Table.Td>
      <Table.Td c={unknown ? 'dimmed' : undefined} data-testid="explanation-level">
        {text.level(row.level)}
      </Table.Td>
      <Table.Td>
        <WeightBar weight={row.weight} />
      </Table.Td>
    </Table.Tr>
  );
}

interface MatchExplanationProps {
  readonly candidate: MatchCandidate;
  /** The column headings of the two sides. */
  readonly leftLabel: string;
  readonly rightLabel: string;
}

/** The engine's reasons, field by field: each side's value, how they compare, and how much that weighs. */
export function MatchExplanation({ candidate, leftLabel, rightLabel }: MatchExplanationProps) {
  const { t, i18n } = useTranslation();
  const probability = useProbability();
  const number = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1, minimumFractionDigits: 1, signDisplay: 'exceptZero' });
  const { explanation } = candidate;
  return (
    <div>
      <Table.ScrollContainer minWidth={680}>
        <Table withTableBorder data-testid="explanation" verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('tracing.matches.field')}</Table.Th>
              <Table.Th>{leftLabel}</Table.Th>
              <Table.Th>{rightLabel}</Table.Th>
              <Table.Th>{t('tracing.matches.comparison')}</Table.Th>
              <Table.Th miw={170}>{t('tracing.matches.weight')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {explanation.fields.map((row) => (
              <FieldRow key={row.field} row={row} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="sm" c="dimmed" mt={6} data-testid="explanation-total">
        {t('tracing.matches.total', { weight: `\u2068${number.format(explanation.weight)}\u2069`, probability: `\u2068${probability(candidate.probability)}\u2069` })}
      </Text>
    </div>
  );
}
