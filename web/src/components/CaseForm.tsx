import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CASES_KEY, caseKey, casePanelsKey } from '../api/cases';
import { ApiError, detailText, fieldOf } from '../api/client';
import { PERSONS_KEY } from '../api/registry';
import { ErrorAlert } from './ErrorAlert';

/**
 * One write on a case page (a consent record, a guardian, a clearance…): on success the case
 * (its checklist and transitions) and its panels are fetched again, so what changed shows at once.
 */
export function useCaseWrite<T>(caseId: string, send: (input: T) => Promise<unknown>, onDone: () => void) {
  const client = useQueryClient();
  const mutation = useMutation({
    mutationFn: send,
    onSuccess: async () => {
      await Promise.all([client.invalidateQueries({ queryKey: caseKey(caseId) }), client.invalidateQueries({ queryKey: casePanelsKey(caseId) })]);
      void client.invalidateQueries({ queryKey: CASES_KEY });
      void client.invalidateQueries({ queryKey: PERSONS_KEY });
      onDone();
    },
  });
  /** The server's message for a field (path without "body."), or anything below it. */
  const serverError = (...paths: string[]): string | undefined => {
    const error = mutation.error;
    if (!(error instanceof ApiError)) return undefined;
    const detail = error.details.find((d) => paths.some((p) => fieldOf(d) === p || fieldOf(d).startsWith(`${p}.`)));
    return detail ? detailText(detail) : undefined;
  };
  return { mutation, serverError };
}

/** Client-side checks: which required fields are still empty. */
export function useRequired() {
  const { t } = useTranslation();
  const [missing, setMissing] = useState<ReadonlySet<string>>(new Set());
  return {
    /** Marks the empty ones; true when none is. */
    check: (fields: Readonly<Record<string, boolean>>): boolean => {
      const gaps = new Set(Object.entries(fields).filter(([, filled]) => !filled).map(([k]) => k));
      setMissing(gaps);
      return gaps.size === 0;
    },
    error: (key: string, server?: string): string | undefined => (missing.has(key) ? t('common.required') : server),
    clear: (key: string) => setMissing((m) => (m.has(key) ? new Set([...m].filter((k) => k !== key)) : m)),
  };
}

interface CaseFormModalProps {
  readonly title: string;
  readonly testId: string;
  readonly onClose: () => void;
  readonly onSubmit: () => void;
  readonly pending: boolean;
  readonly error: Error | null;
  /** Server paths (without "body.") that a field shows next to itself. */
  readonly shownByFields?: RegExp;
  readonly submitLabel?: string;
  readonly submitColor?: string;
  /** A stale version (412): reload and start again. */
  readonly onReload?: () => void;
  readonly children: ReactNode;
  readonly size?: string;
}

/** A modal form on the case page, with its Save / Cancel and the server's refusal in the user's language. */
export function CaseFormModal({ title, testId, onClose, onSubmit, pending, error, shownByFields, submitLabel, submitColor, onReload, children, size = 'lg' }: CaseFormModalProps) {
  const { t, i18n } = useTranslation();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  const stale = error instanceof ApiError && error.status === 412;
  const byFields = !stale && error instanceof ApiError && shownByFields !== undefined && error.details.length > 0 && error.details.every((d) => shownByFields.test(fieldOf(d)));
  return (
    // lockScroll would inject a <style> element without the page's nonce, which the Content-Security-Policy refuses.
    <Modal opened onClose={onClose} title={title} size={size} lockScroll={false} data-testid={`${testId}-modal`}>
      <form onSubmit={submit} noValidate data-testid={testId}>
        <Stack gap="sm">
          {children}
          {stale && (
            <Alert color="yellow" role="alert" title={t('personEdit.stale.title')} data-testid="case-form-stale" lang={i18n.language}>
              <Text size="sm" dir="auto">
                {error.message}
              </Text>
              {onReload && (
                <Button mt="sm" size="compact-sm" variant="light" onClick={onReload} data-testid="case-form-reload">
                  {t('personEdit.stale.reload')}
                </Button>
              )}
            </Alert>
          )}
          {byFields && (
            <Alert color="red" role="alert" data-testid="case-form-error" lang={i18n.language}>
              {t('personEdit.invalid')}
            </Alert>
          )}
          {error && !stale && !byFields && <ErrorAlert error={error} testId="case-form-error" />}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose} data-testid="case-form-cancel">
              {t('personEdit.cancel')}
            </Button>
            <Button type="submit" loading={pending} color={submitColor} data-testid="case-form-submit">
              {submitLabel ?? t('personEdit.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
