import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

const KNOWN = [
  'invalid_credentials',
  'totp_required',
  'invalid_totp',
  'account_locked',
  'rate_limited',
  'network_error',
  'unauthenticated',
  'forbidden',
  'wrong_password',
  'password_change_required',
  'totp_enrollment_required',
] as const;
type KnownCode = (typeof KNOWN)[number];

function isKnown(code: string): code is KnownCode {
  return (KNOWN as readonly string[]).includes(code);
}

/** Turns an error into a sentence: translated for known codes, the server's own words otherwise. */
export function useErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error) => {
    if (error instanceof ApiError) {
      if (isKnown(error.code)) return t(`errors.${error.code}`);
      if (error.status === 403) return t('errors.forbidden');
      // Other refusals (400, 409, 422…) carry a message written for the person who can fix it.
      if (error.status >= 400 && error.status < 500) return error.message;
      return t('errors.generic', { message: error.message });
    }
    const message = error instanceof Error ? error.message : String(error);
    return t('errors.generic', { message });
  };
}
