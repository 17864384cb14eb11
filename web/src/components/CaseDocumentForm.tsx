import { Anchor, Input, Text } from '@mantine/core';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_SCAN_BYTES, SCAN_TYPES } from '../api/cases';
import { CaseFormModal, useCaseWrite } from './CaseForm';

interface DocumentFormProps {
  readonly caseId: string;
  readonly title: string;
  /** Says what the document is of (a consent record, an assurance). */
  readonly subject?: string;
  readonly testId: string;
  readonly send: (file: File) => Promise<unknown>;
  readonly onClose: () => void;
}

/** Uploads a scanned document (the signed consent form, the assurance): a PDF, JPEG or PNG of at most 10 MB, sent as it is. */
export function DocumentForm({ caseId, title, subject, testId, send, onClose }: DocumentFormProps) {
  const { t } = useTranslation();
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<'required' | 'type' | 'size' | null>(null);
  const write = useCaseWrite(caseId, send, onClose);
  const submit = () => {
    const found = !file ? 'required' : !(SCAN_TYPES as readonly string[]).includes(file.type) ? 'type' : file.size > MAX_SCAN_BYTES ? 'size' : null;
    setProblem(found);
    if (file && !found) write.mutation.mutate(file);
  };
  const fieldProblem = problem === 'required' ? t('common.required') : problem ? t(`cases.document.${problem === 'type' ? 'wrongType' : 'tooLarge'}`) : write.serverError('body', 'content-type');
  return (
    <CaseFormModal title={title} testId={testId} onClose={onClose} onSubmit={submit} pending={write.mutation.isPending} error={write.mutation.error} submitLabel={t('cases.document.upload')} shownByFields={/^(body|content-type)$/}>
      {subject && (
        <Text size="sm" dir="auto">
          {subject}
        </Text>
      )}
      <Input.Wrapper label={t('cases.document.file')} description={t('cases.document.hint')} required error={fieldProblem} labelProps={{ htmlFor: inputId }}>
        <div>
          <input
            id={inputId}
            type="file"
            accept={SCAN_TYPES.join(',')}
            onChange={(e) => {
              setFile(e.currentTarget.files?.[0] ?? null);
              setProblem(null);
            }}
            data-testid="document-file"
          />
        </div>
      </Input.Wrapper>
    </CaseFormModal>
  );
}

/** A link that opens a scanned document in a new tab (its read is audited). */
export function DocumentLink({ href, testId }: { readonly href: string; readonly testId: string }) {
  const { t } = useTranslation();
  return (
    <Anchor size="sm" href={href} target="_blank" rel="noopener" data-testid={testId}>
      {t('cases.document.open')}
    </Anchor>
  );
}
