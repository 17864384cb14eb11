import { Alert, Box, Button, Group, Modal, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, detailText, fieldOf } from '../api/client';
import { PERSONS_KEY, personKey } from '../api/registry';
import type { Person } from '../api/registryTypes';
import { CategoryNote, type DataCategory } from './CategoryNote';
import { ErrorAlert } from './ErrorAlert';
import { useErrorMessage } from './errorMessage';

/** What every edit form of a person's page is given. */
export interface EditFormProps {
  readonly person: Person;
  /** Called after a successful save. */
  readonly onDone: () => void;
  /** Fetches the person again and starts the form afresh from what the server holds now. */
  readonly onReload: () => void;
}

/**
 * One write about a person: sent with the version the form read when it opened (If-Match),
 * then the person's page is fetched again. The server's messages are found by field path.
 */
export function usePersonEdit<T>(person: Person, send: (id: string, version: number, input: T) => Promise<unknown>, onDone: () => void) {
  const client = useQueryClient();
  // The version read when the form opened, not whatever a background refetch brings since.
  const [version] = useState(person.version);
  const mutation = useMutation({
    mutationFn: (input: T) => send(person.id, version, input),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: personKey(person.id) });
      void client.invalidateQueries({ queryKey: PERSONS_KEY });
      onDone();
    },
  });
  /** The server's message for a field (its path without "body."), or for anything below it. */
  const serverError = (...paths: string[]): string | undefined => {
    const error = mutation.error;
    if (!(error instanceof ApiError)) return undefined;
    const detail = error.details.find((d) => paths.some((p) => fieldOf(d) === p || fieldOf(d).startsWith(`${p}.`)));
    // In the user's language where the server gives a known code, else the server's own words.
    return detail ? detailText(detail) : undefined;
  };
  return { mutation, serverError, version };
}

/** Client-side checks: the keys of the fields still missing, with a setter that clears one. */
export function useMissing() {
  const [missing, setMissing] = useState<ReadonlySet<string>>(new Set());
  return {
    missing,
    setMissing,
    has: (key: string) => missing.has(key),
    clear: (key: string) => setMissing((m) => (m.has(key) ? new Set([...m].filter((k) => k !== key)) : m)),
  };
}

interface EditFeedbackProps {
  readonly error: Error | null;
  readonly onReload: () => void;
  /** Server paths (without "body.") that a field of the form shows next to itself. */
  readonly shownByFields: RegExp;
}

/** A stale version (412) with the server's words and a reload; field problems by their fields; anything else as an alert. */
export function EditFeedback({ error, onReload, shownByFields }: EditFeedbackProps) {
  const { t, i18n } = useTranslation();
  const message = useErrorMessage();
  if (!error) return null;
  if (error instanceof ApiError && error.status === 412) {
    return (
      <Alert color="yellow" role="alert" title={t('personEdit.stale.title')} data-testid="edit-stale" lang={i18n.language}>
        {/* The server names who changed the record and when, in its own (English) words. */}
        <Text size="sm" dir="auto" data-testid="edit-stale-message">
          {error.message}
        </Text>
        <Button mt="sm" size="compact-sm" variant="light" onClick={onReload} data-testid="edit-reload">
          {t('personEdit.stale.reload')}
        </Button>
      </Alert>
    );
  }
  const byFields = error instanceof ApiError && error.details.length > 0 && error.details.every((d) => shownByFields.test(fieldOf(d)));
  if (byFields) {
    // Each field shows its own message; a refusal by the law's limits (422) says why in the clerk's words.
    return (
      <Alert color="red" role="alert" data-testid="edit-error" lang={error.code === 'invalid_input' ? i18n.language : undefined}>
        {error.code === 'invalid_input' ? t('personEdit.invalid') : message(error)}
      </Alert>
    );
  }
  return <ErrorAlert error={error} testId="edit-error" />;
}

interface EditFormFrameProps {
  readonly testId: string;
  readonly onSubmit: () => void;
  readonly onCancel: () => void;
  readonly pending: boolean;
  readonly submitLabel?: string;
  readonly submitColor?: string;
  readonly children: ReactNode;
}

/** The form element with its Save and Cancel buttons. */
export function EditFormFrame({ testId, onSubmit, onCancel, pending, submitLabel, submitColor, children }: EditFormFrameProps) {
  const { t } = useTranslation();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form onSubmit={submit} noValidate data-testid={testId}>
      {children}
      <Group justify="flex-end" mt="lg">
        <Button variant="default" onClick={onCancel} data-testid="edit-cancel">
          {t('personEdit.cancel')}
        </Button>
        <Button type="submit" loading={pending} color={submitColor} data-testid="edit-submit">
          {submitLabel ?? t('personEdit.save')}
        </Button>
      </Group>
    </form>
  );
}

interface EditModalProps {
  readonly person: Person;
  readonly title: string;
  readonly onClose: () => void;
  readonly form: (props: EditFormProps) => ReactNode;
  /** The data categories the form enters: their purpose and legal basis are shown above it. */
  readonly categories?: readonly DataCategory[];
}

/** A modal holding one edit form; "reload" after a stale answer refetches the person and remounts the form. */
export function EditModal({ person, title, onClose, form, categories = [] }: EditModalProps) {
  const client = useQueryClient();
  const [generation, setGeneration] = useState(0);
  const reload = () => {
    void client.refetchQueries({ queryKey: personKey(person.id) }).then(() => setGeneration((g) => g + 1));
  };
  return (
    // lockScroll would inject a <style> element without the page's nonce, which the Content-Security-Policy refuses.
    <Modal opened onClose={onClose} title={title} size="lg" lockScroll={false} data-testid="edit-modal">
      <div key={generation} data-version={person.version}>
        {categories.length > 0 && (
          <Box mb="sm">
            <CategoryNote categories={categories} />
          </Box>
        )}
        {form({ person, onDone: onClose, onReload: reload })}
      </div>
    </Modal>
  );
}
