import { Button, Group, Image, SimpleGrid } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Person, PersonAction, PersonPhoto } from '../api/registryTypes';
import type { DataCategory } from './CategoryNote';
import { AdmitForm, ReleaseForm } from './EditCustodyForms';
import { AddEvidenceForm } from './EditEvidenceForm';
import { AddFamilyLinkForm } from './EditFamilyForm';
import { EditFactsForm } from './EditFactsForm';
import { type EditFormProps, EditModal } from './EditForm';
import { AddDocumentForm, AddNationalityForm, UploadPhotoForm } from './EditIdentityForms';
import { AddNameForm, RemoveNameForm } from './EditNameForms';
import { AddProceedingForm } from './EditProceedingForm';
import { PersonSection } from './PersonSection';

const FORMS = {
  facts: EditFactsForm,
  addName: AddNameForm,
  removeName: RemoveNameForm,
  nationality: AddNationalityForm,
  document: AddDocumentForm,
  photo: UploadPhotoForm,
  evidence: AddEvidenceForm,
  family: AddFamilyLinkForm,
  admit: AdmitForm,
  release: ReleaseForm,
  proceeding: AddProceedingForm,
} as const satisfies Record<string, (props: EditFormProps) => ReactNode>;
type FormKey = keyof typeof FORMS;

/** The data categories each form enters, for the purpose and legal basis shown above it (decision 0025). */
function categoriesOf(key: FormKey, person: Person): DataCategory[] {
  switch (key) {
    case 'facts': {
      const allowed = new Set<PersonAction>(person.allowedActions ?? []);
      const categories: DataCategory[] = [];
      if (allowed.has('updateIdentity')) categories.push('identity');
      if (allowed.has('updateWelfare') && person.vulnerability !== undefined) categories.push('welfare');
      if (allowed.has('updateSecurity') && person.crimesAgainstHumanity !== undefined) categories.push('security');
      return categories;
    }
    case 'evidence':
      return ['identity', 'genetic'];
    case 'family':
      return ['family'];
    case 'admit':
    case 'release':
      return ['custody'];
    case 'proceeding':
      return ['legal'];
    default:
      return ['identity'];
  }
}

/** Which forms the person's page offers: the actions the server says the caller's role may take, on parts it sees. */
function offeredForms(person: Person): FormKey[] {
  const allowed = new Set<PersonAction>(person.allowedActions ?? []);
  const forms: FormKey[] = [];
  const facts =
    allowed.has('updateIdentity') ||
    (allowed.has('updateWelfare') && person.vulnerability !== undefined) ||
    (allowed.has('withhold') && person.withheldFromEmbassy !== undefined) ||
    (allowed.has('updateSecurity') && person.crimesAgainstHumanity !== undefined);
  if (facts) forms.push('facts');
  if (allowed.has('updateIdentity') && person.names) {
    forms.push('addName');
    if (person.names.length > 1) forms.push('removeName');
    forms.push('nationality', 'document', 'photo');
  }
  if (allowed.has('recordEvidence') && person.identityConfidence) forms.push('evidence');
  if (allowed.has('manageFamily') && person.family) forms.push('family');
  if (allowed.has('manageCustody') && person.custody) {
    forms.push('admit');
    if (person.currentFacility) forms.push('release');
  }
  if (allowed.has('manageProceedings') && person.proceedings) forms.push('proceeding');
  return forms;
}

/** The edit buttons of a person's page, each opening its form in a modal. */
export function PersonEditBar({ person }: { readonly person: Person }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<FormKey | null>(null);
  const forms = offeredForms(person);
  if (forms.length === 0) return null;
  const label = (key: FormKey) => (key === 'admit' && person.currentFacility ? t('personEdit.open.transfer') : t(`personEdit.open.${key}`));
  const Form = open ? FORMS[open] : null;
  return (
    <>
      <Group gap="xs" data-testid="person-edit-bar" aria-label={t('personEdit.actions')} role="toolbar">
        {forms.map((key) => (
          <Button key={key} variant="light" size="compact-sm" onClick={() => setOpen(key)} data-testid={`edit-open-${key}`}>
            {label(key)}
          </Button>
        ))}
      </Group>
      {open && Form && <EditModal person={person} title={label(open)} categories={categoriesOf(open, person)} onClose={() => setOpen(null)} form={(props) => <Form {...props} />} />}
    </>
  );
}

/** The person's photos, served only to those who may see them. */
export function PersonPhotos({ photos }: { readonly photos: readonly PersonPhoto[] }) {
  const { t } = useTranslation();
  return (
    <PersonSection title={t('personEdit.photos')} testId="person-photos">
      <SimpleGrid cols={{ base: 2, sm: 4, md: 6 }} spacing="sm">
        {photos.map((photo) => (
          <Image key={photo.id} src={photo.url} alt={t('personEdit.photoAlt')} radius="sm" h={140} fit="cover" data-testid="person-photo" />
        ))}
      </SimpleGrid>
    </PersonSection>
  );
}
