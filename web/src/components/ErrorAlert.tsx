import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError, detailText, fieldOf } from '../api/client';
import { useErrorMessage } from './errorMessage';

interface ErrorAlertProps {
  readonly error: unknown;
  readonly testId?: string;
}

/** An error from the server, in the user's language where its code is known. */
export function ErrorAlert({ error, testId }: ErrorAlertProps) {
  const { i18n } = useTranslation();
  const message = useErrorMessage()(error);
  // The server's message often repeats its first detail; list only what it does not already say.
  const details = (error instanceof ApiError ? error.details : []).filter(
    (detail) => message !== `${detail.path}: ${detail.message}` && message !== `${fieldOf(detail)}: ${detail.message}`,
  );
  return (
    <Alert color="red" role="alert" data-testid={testId} lang={i18n.language}>
      {message}
      {details.length > 0 && (
        <ul className="hw-error-details">
          {details.map((detail) => (
            <li key={`${detail.path}:${detail.message}`}>
              <bdi>{fieldOf(detail)}</bdi>: {detailText(detail)}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}
