import { Alert, Anchor, Checkbox, List, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { BirthDateInput, NameInput, PersonListItem, Sex } from '../api/registryTypes';
import { personPath } from '../navigation';

interface LikelyDuplicate {
  readonly person: PersonListItem;
  readonly similarity: number;
  readonly birthGapYears: number | null;
}

interface LikelyDuplicatesProps {
  readonly names: readonly NameInput[];
  readonly sex: Sex | null;
  readonly birthDate: BirthDateInput | null;
  /** The clerk has looked and says none of them is this person. */
  readonly acknowledged: boolean;
  readonly onAcknowledge: (value: boolean) => void;
  /** Tells the form whether saving must wait for the acknowledgement. */
  readonly onFound: (count: number) => void;
}

/** Wait this long after the last keystroke before asking the server. */
const DEBOUNCE_MS = 500;

/** While a person is being registered: people already registered who may be the same, before a second record is made. */
export function LikelyDuplicates({ names, sex, birthDate, acknowledged, onAcknowledge, onFound }: LikelyDuplicatesProps) {
  const { t } = useTranslation();
  const body = { names, ...(sex ? { sex } : {}), ...(birthDate ? { birthDate } : {}) };
  const key = JSON.stringify(body);
  const [settled, setSettled] = useState(key);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(key), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key]);
  const check = useQuery({
    queryKey: ['persons', 'likely-duplicates', settled],
    queryFn: () => api.post<{ data: LikelyDuplicate[] }>('/persons/likely-duplicates', JSON.parse(settled)),
    enabled: names.length > 0,
    staleTime: 30_000,
  });
  const found = names.length > 0 ? (check.data?.data ?? []) : [];
  useEffect(() => onFound(found.length), [found.length, onFound]);
  if (found.length === 0) return null;
  return (
    <Alert color="yellow" title={t('register.duplicates.title', { count: found.length })} data-testid="register-duplicates">
      <Text size="sm" mb="xs">
        {t('register.duplicates.hint')}
      </Text>
      <List size="sm" mb="sm">
        {found.map((d) => (
          <List.Item key={d.person.id} data-testid="register-duplicate">
            <Anchor href={personPath(d.person.id)} target="_blank" rel="noopener">
              <bdi>{d.person.displayName}</bdi>
            </Anchor>
            <Text span size="sm" c="dimmed">
              {' · '}
              {d.person.birthDate?.display ?? ''}
              {' · '}
              {t('register.duplicates.similarity', { value: Math.round(d.similarity * 100) })}
            </Text>
          </List.Item>
        ))}
      </List>
      <Checkbox
        checked={acknowledged}
        onChange={(event) => onAcknowledge(event.currentTarget.checked)}
        label={t('register.duplicates.acknowledge')}
        data-testid="register-duplicates-acknowledge"
      />
    </Alert>
  );
}
