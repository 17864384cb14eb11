import { Alert, Anchor, Button, Group, Input, List, Stack, Text } from '@mantine/core';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_SCAN_BYTES, SCAN_TYPES } from '../api/cases';
import { type ApiError, detailText, fieldError } from '../api/client';
import { type Movement, type Passenger, movementsApi, receiptUrl } from '../api/movements';
import { FormModal, useMovementAction } from './MovementForm';
import { useMoment } from './VerificationStatus';

// Signed handover receipts on the movement page: each handover's receipt, the form that attaches it, and the refusal to complete without them.

/** The refusal of a completion: each person not handed over yet, or handed over without a signed receipt. */
export function CompletionRefusal({ error }: { readonly error: ApiError }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" role="alert" title={t('movements.receipt.refused')} data-testid="complete-refusal">
      <List size="sm">
        {error.details.map((d) => (
          <List.Item key={d.path} data-testid="complete-refusal-passenger" data-code={d.code} dir="auto">
            {detailText(d)}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

/** The codes of a completion refused for want of handovers or their receipts. */
export const COMPLETION_REFUSALS: ReadonlySet<string> = new Set(['handovers_missing', 'handover_receipts_missing']);

/** Attaches the scanned receipt the receiving official signed (a PDF, JPEG or PNG of at most 10 MB, sent as it is). */
export function ReceiptForm({ m, p, onClose }: { readonly m: Movement; readonly p: Passenger; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<'required' | 'wrongType' | 'tooLarge' | null>(null);
  const save = useMovementAction(m, (f: File) => movementsApi.attachReceipt(m.id, p.personId, f), onClose);
  const submit = () => {
    const found = !file ? 'required' : !(SCAN_TYPES as readonly string[]).includes(file.type) ? 'wrongType' : file.size > MAX_SCAN_BYTES ? 'tooLarge' : null;
    setProblem(found);
    if (file && !found) save.mutate(file);
  };
  const fieldProblem = problem === 'required' ? t('common.required') : problem ? t(`cases.document.${problem}`) : (fieldError(save.error, 'body') ?? fieldError(save.error, 'content-type'));
  return (
    <FormModal title={t('movements.receipt.title', { name: p.displayName })} testId="receipt-form" onClose={onClose} onSubmit={submit} pending={save.isPending} error={fieldProblem ? null : save.error} submitLabel={t('cases.document.upload')}>
      <Text size="sm">{t('movements.receipt.explain')}</Text>
      <Input.Wrapper label={t('movements.receipt.file')} description={t('cases.document.hint')} required error={fieldProblem} labelProps={{ htmlFor: inputId }}>
        <div>
          <input
            id={inputId}
            type="file"
            accept={SCAN_TYPES.join(',')}
            onChange={(e) => {
              setFile(e.currentTarget.files?.[0] ?? null);
              setProblem(null);
            }}
            data-testid="receipt-file"
          />
        </div>
      </Input.Wrapper>
    </FormModal>
  );
}

/** A handover as recorded: who received the person, when, and the signed receipt (open it; attach or replace it while the movement is departed). */
export function HandoverCell({ m, p, onAttach }: { readonly m: Movement; readonly p: Passenger; readonly onAttach: () => void }) {
  const { t } = useTranslation();
  const moment = useMoment();
  const h = p.handover;
  if (!h) return null;
  return (
    <Stack gap={4}>
      <Text size="sm" data-testid="passenger-handover">
        {t('movements.handover.done', { by: h.receivedBy, when: moment(h.receivedAt) })}
        {h.receivingAuthority ? ` · ${h.receivingAuthority}` : ''}
      </Text>
      <Group gap="xs" wrap="wrap" data-testid="passenger-receipt" data-attached={String(h.receipt !== null)}>
        {h.receipt ? (
          <Anchor size="sm" href={receiptUrl(m.id, p.personId)} target="_blank" rel="noopener" data-testid="receipt-open">
            {t('movements.receipt.open')}
          </Anchor>
        ) : (
          <Text size="sm" c={m.status === 'departed' ? 'red.8' : 'dimmed'}>
            {t('movements.receipt.missing')}
          </Text>
        )}
        {m.allowedActions.attachReceipt && (
          <Button size="compact-xs" variant="light" onClick={onAttach} data-testid="receipt-attach">
            {h.receipt ? t('movements.receipt.replace') : t('movements.receipt.attach')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
