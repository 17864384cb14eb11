import { Button, Group, Modal, Stack } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { INVOICES_KEY, type Movement, MOVEMENTS_KEY, movementKey } from '../api/movements';
import { ErrorAlert } from './ErrorAlert';

/** The mutation shared by every action on the movement page: the answer is the movement as it is now. */
export function useMovementAction<T>(m: Movement, send: (input: T) => Promise<unknown>, onDone?: () => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: (answer) => {
      if (answer && typeof answer === 'object' && 'allowedActions' in answer) client.setQueryData(movementKey(m.id), answer);
      else void client.invalidateQueries({ queryKey: movementKey(m.id) });
      void client.invalidateQueries({ queryKey: MOVEMENTS_KEY, predicate: (q) => q.queryKey[1] !== 'one' });
      void client.invalidateQueries({ queryKey: INVOICES_KEY });
      onDone?.();
    },
    onError: (error) => {
      if (error instanceof ApiError && (error.status === 409 || error.status === 412 || error.status === 422)) void client.invalidateQueries({ queryKey: movementKey(m.id) });
    },
  });
}

/** A small form in a modal: its fields, the server's refusal, cancel and submit. */
export function FormModal({ title, testId, onClose, onSubmit, pending, error, children, submitLabel }: { readonly title: string; readonly testId: string; readonly onClose: () => void; readonly onSubmit: () => void; readonly pending: boolean; readonly error: unknown; readonly children: ReactNode; readonly submitLabel: string }) {
  const { t } = useTranslation();
  return (
    <Modal opened onClose={onClose} title={title} lockScroll={false} data-testid={`${testId}-modal`}>
      <form
        noValidate
        data-testid={testId}
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <Stack gap="sm">
          {children}
          {error ? <ErrorAlert error={error} testId={`${testId}-error`} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('personEdit.cancel')}
            </Button>
            <Button type="submit" loading={pending} data-testid={`${testId}-submit`}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
