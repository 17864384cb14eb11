import { Alert, Anchor, Button, Group, List, Modal, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { personEditApi } from '../api/personEdit';
import { PERSONS_KEY, personKey, registryApi } from '../api/registry';
import type { Person } from '../api/registryTypes';
import { personPath } from '../navigation';
import { navigate, onLinkClick } from '../router/router';
import { EditFeedback, EditFormFrame } from './EditForm';

/** A record merged into another is history; a record others were merged into names them. */
const day = (iso: string, language: string) => new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(new Date(iso));

export function MergedNotice({ person }: { readonly person: Person }) {
  const { t, i18n } = useTranslation();
  if (person.mergedInto) {
    const target = personPath(person.mergedInto);
    return (
      <Alert color="gray" data-testid="person-merged-into">
        {t('merge.mergedInto', { date: person.mergedAt ? day(person.mergedAt, i18n.language) : '' })}{' '}
        <Anchor href={target} onClick={onLinkClick(target)} data-testid="person-merged-into-link">
          {t('merge.openSurvivor')}
        </Anchor>
      </Alert>
    );
  }
  if (!person.mergedFrom || person.mergedFrom.length === 0) return null;
  return (
    <Alert color="blue" variant="light" data-testid="person-merged-from" title={t('merge.mergedFromTitle')}>
      <List size="sm">
        {person.mergedFrom.map((m) => (
          <List.Item key={m.id}>
            <Anchor href={personPath(m.id)} onClick={onLinkClick(personPath(m.id))} dir="auto">
              {m.displayName}
            </Anchor>{' '}
            {m.mergedAt && <Text span size="xs" c="dimmed">({day(m.mergedAt, i18n.language)})</Text>}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

/** The deliberate step after a pair is confirmed: choose the record that stays, give a reason, merge. */
export function MergeButton({ person }: { readonly person: Person }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (!person.duplicateOf || person.mergedInto || !person.allowedActions?.includes('merge')) return null;
  return (
    <>
      <Button size="compact-sm" variant="light" color="orange" onClick={() => setOpen(true)} data-testid="merge-open">
        {t('merge.open')}
      </Button>
      {open && <MergeModal person={person} otherId={person.duplicateOf} onClose={() => setOpen(false)} />}
    </>
  );
}

function MergeModal({ person, otherId, onClose }: { readonly person: Person; readonly otherId: string; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const other = useQuery({ queryKey: personKey(otherId), queryFn: () => registryApi.person(otherId) });
  // The record it repeats (the earlier registration) stays unless the officer chooses otherwise.
  const [keep, setKeep] = useState<'other' | 'this'>('other');
  const [reason, setReason] = useState('');
  const [missingReason, setMissingReason] = useState(false);
  const merge = useMutation({
    mutationFn: () => {
      const survivor = keep === 'this' ? person : (other.data as Person);
      const merged = keep === 'this' ? otherId : person.id;
      return personEditApi.merge(survivor.id, survivor.version, merged, reason.trim());
    },
    onSuccess: async (survivor) => {
      await Promise.all([client.invalidateQueries({ queryKey: personKey(person.id) }), client.invalidateQueries({ queryKey: personKey(otherId) })]);
      void client.invalidateQueries({ queryKey: PERSONS_KEY });
      onClose();
      navigate(personPath(survivor.id));
    },
  });
  const submit = () => {
    setMissingReason(!reason.trim());
    if (reason.trim() && other.data) merge.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={t('merge.title')} size="lg" lockScroll={false} data-testid="merge-modal">
      <EditFormFrame testId="merge-form" onSubmit={submit} onCancel={onClose} pending={merge.isPending} submitLabel={t('merge.submit')} submitColor="orange">
        <Stack gap="sm">
          <Text size="sm">{t('merge.explain')}</Text>
          <Radio.Group label={t('merge.keep')} value={keep} onChange={(v) => setKeep(v === 'this' ? 'this' : 'other')}>
            <Group mt="xs">
              <Radio value="other" data-testid="merge-keep-other" label={<span dir="auto">{other.data?.displayName ?? '…'}</span>} />
              <Radio value="this" data-testid="merge-keep-this" label={<span dir="auto">{person.displayName}</span>} />
            </Group>
          </Radio.Group>
          <Textarea
            label={t('merge.reason')}
            required
            value={reason}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              setMissingReason(false);
            }}
            error={missingReason ? t('common.required') : undefined}
            data-testid="merge-reason"
            autosize
            minRows={2}
          />
          <EditFeedback error={merge.error ?? other.error} onReload={() => void other.refetch()} shownByFields={/^reason$/} />
        </Stack>
      </EditFormFrame>
    </Modal>
  );
}
