import { Badge, Button, Group, NativeSelect, SimpleGrid, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Case,
  GUARDIAN_RELATIONS,
  GUARDIAN_VERIFICATIONS,
  type CaseMember,
  type GuardianChange,
  type GuardianInput,
  type GuardianRelation,
  type GuardianVerification,
  type GuardianView,
  casePanelsKey,
  casesApi,
  mayNameGuardian,
  mayVerifyGuardian,
} from '../api/cases';
import { useCountries, useCountryName } from '../api/queries';
import type { User } from '../api/types';
import { CaseFormModal, useCaseWrite, useRequired } from './CaseForm';
import { PanelSection } from './CasePanelSection';
import { Facts } from './PersonSection';

const VERIFICATION_COLOR: Readonly<Record<GuardianVerification, string>> = { verified: 'green', unverified: 'yellow', rejected: 'red' };

function useCountryOptions() {
  const { i18n } = useTranslation();
  const countries = useCountries();
  const countryName = useCountryName();
  return useMemo(() => {
    const collator = new Intl.Collator(i18n.language);
    return (countries.data ?? []).map((c) => ({ value: c.code, label: countryName(c.code, countries.data) })).sort((a, b) => collator.compare(a.label, b.label));
  }, [countries.data, countryName, i18n.language]);
}

/** Names the receiving guardian in the home country, and how the relationship was verified. */
function GuardianForm({ c, member, onClose }: { readonly c: Case; readonly member: CaseMember; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const countryOptions = useCountryOptions();
  const [fullName, setFullName] = useState('');
  const [relation, setRelation] = useState<GuardianRelation>('grandparent');
  const [contact, setContact] = useState('');
  const [address, setAddress] = useState('');
  const [countryCode, setCountryCode] = useState(c.countryCode);
  const [verification, setVerification] = useState<GuardianVerification>('unverified');
  const [verifiedBy, setVerifiedBy] = useState('');
  const required = useRequired();
  const write = useCaseWrite(c.id, (input: GuardianInput) => casesApi.nameGuardian(member.personId, input), onClose);
  const submit = () => {
    if (!required.check({ fullName: fullName.trim() !== '', verifiedBy: verification !== 'verified' || verifiedBy.trim() !== '' })) return;
    const optional = (key: string, value: string) => (value.trim() ? { [key]: value.trim() } : {});
    write.mutation.mutate({
      fullName: fullName.trim(),
      relation,
      verification,
      ...optional('contact', contact),
      ...optional('address', address),
      ...optional('countryCode', countryCode),
      ...optional('verifiedBy', verifiedBy),
    });
  };
  return (
    <CaseFormModal title={t('cases.guardian.name')} testId="guardian-form" onClose={onClose} onSubmit={submit} pending={write.mutation.isPending} error={write.mutation.error} shownByFields={/^(fullName|relation|contact|address|countryCode|verification|verifiedBy)/}>
      <TextInput
        label={t('cases.guardian.fullName')}
        required
        value={fullName}
        onChange={(e) => {
          setFullName(e.currentTarget.value);
          required.clear('fullName');
        }}
        maxLength={300}
        attributes={{ input: { dir: 'auto' } }}
        error={required.error('fullName', write.serverError('fullName'))}
        data-testid="guardian-full-name"
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <NativeSelect label={t('cases.guardian.relation')} value={relation} onChange={(e) => setRelation(e.currentTarget.value as GuardianRelation)} data={GUARDIAN_RELATIONS.map((r) => ({ value: r, label: t(`cases.relations.${r}`) }))} error={write.serverError('relation')} data-testid="guardian-relation" />
        <NativeSelect label={t('cases.guardian.country')} value={countryCode} onChange={(e) => setCountryCode(e.currentTarget.value)} data={[{ value: '', label: t('common.none') }, ...countryOptions]} error={write.serverError('countryCode')} data-testid="guardian-country" />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput label={t('cases.guardian.contact')} value={contact} onChange={(e) => setContact(e.currentTarget.value)} maxLength={500} attributes={{ input: { dir: 'auto' } }} error={write.serverError('contact')} data-testid="guardian-contact" />
        <TextInput label={t('cases.guardian.address')} value={address} onChange={(e) => setAddress(e.currentTarget.value)} maxLength={500} attributes={{ input: { dir: 'auto' } }} error={write.serverError('address')} data-testid="guardian-address" />
      </SimpleGrid>
      <VerificationFields verification={verification} verifiedBy={verifiedBy} onVerification={setVerification} onVerifiedBy={(v) => { setVerifiedBy(v); required.clear('verifiedBy'); }} error={required.error('verifiedBy', write.serverError('verifiedBy'))} />
    </CaseFormModal>
  );
}

function VerificationFields(props: {
  readonly verification: GuardianVerification;
  readonly verifiedBy: string;
  readonly onVerification: (v: GuardianVerification) => void;
  readonly onVerifiedBy: (v: string) => void;
  readonly error?: string;
}) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
      <NativeSelect
        label={t('cases.guardian.verification')}
        value={props.verification}
        onChange={(e) => props.onVerification(e.currentTarget.value as GuardianVerification)}
        data={GUARDIAN_VERIFICATIONS.map((v) => ({ value: v, label: t(`cases.verifications.${v}`) }))}
        data-testid="guardian-verification"
      />
      <TextInput
        label={t('cases.guardian.verifiedBy')}
        description={t('cases.guardian.verifiedByHint')}
        required={props.verification === 'verified'}
        value={props.verifiedBy}
        onChange={(e) => props.onVerifiedBy(e.currentTarget.value)}
        maxLength={200}
        attributes={{ input: { dir: 'auto' } }}
        error={props.error}
        data-testid="guardian-verified-by"
      />
    </SimpleGrid>
  );
}

/** Verifies the relationship (or records it was not accepted), and updates the contact details; sent with If-Match. */
function VerifyForm({ c, guardian, onClose }: { readonly c: Case; readonly guardian: GuardianView; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [version] = useState(guardian.version);
  const [verification, setVerification] = useState<GuardianVerification>(guardian.verification === 'unverified' ? 'verified' : guardian.verification);
  const [verifiedBy, setVerifiedBy] = useState(guardian.verifiedBy ?? '');
  const [contact, setContact] = useState(guardian.contact ?? '');
  const [address, setAddress] = useState(guardian.address ?? '');
  const required = useRequired();
  const write = useCaseWrite(c.id, (input: GuardianChange) => casesApi.changeGuardian(guardian.id, version, input), onClose);
  const submit = () => {
    if (!required.check({ verifiedBy: verification !== 'verified' || verifiedBy.trim() !== '' })) return;
    write.mutation.mutate({
      verification,
      ...(verifiedBy.trim() ? { verifiedBy: verifiedBy.trim() } : {}),
      ...(contact.trim() !== (guardian.contact ?? '') ? { contact: contact.trim() } : {}),
      ...(address.trim() !== (guardian.address ?? '') ? { address: address.trim() } : {}),
    });
  };
  const reload = () => {
    void client.refetchQueries({ queryKey: casePanelsKey(c.id) }).then(onClose);
  };
  return (
    <CaseFormModal title={t('cases.guardian.verify')} testId="guardian-verify-form" onClose={onClose} onSubmit={submit} pending={write.mutation.isPending} error={write.mutation.error} onReload={reload} shownByFields={/^(verification|verifiedBy|contact|address)/}>
      <Text size="sm" dir="auto" fw={600}>
        <bdi>{guardian.fullName}</bdi>
      </Text>
      <VerificationFields verification={verification} verifiedBy={verifiedBy} onVerification={setVerification} onVerifiedBy={(v) => { setVerifiedBy(v); required.clear('verifiedBy'); }} error={required.error('verifiedBy', write.serverError('verifiedBy'))} />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput label={t('cases.guardian.contact')} value={contact} onChange={(e) => setContact(e.currentTarget.value)} maxLength={500} attributes={{ input: { dir: 'auto' } }} error={write.serverError('contact')} />
        <TextInput label={t('cases.guardian.address')} value={address} onChange={(e) => setAddress(e.currentTarget.value)} maxLength={500} attributes={{ input: { dir: 'auto' } }} error={write.serverError('address')} />
      </SimpleGrid>
    </CaseFormModal>
  );
}

/** The receiving guardian: who, what to the child, whether the relationship is verified; name or verify one. */
export function GuardianPanel({ c, member, guardian, user }: { readonly c: Case; readonly member: CaseMember; readonly guardian: GuardianView | null; readonly user: User }) {
  const { t } = useTranslation();
  const countries = useCountries();
  const countryName = useCountryName();
  const [open, setOpen] = useState<'name' | 'verify' | null>(null);
  const may = mayNameGuardian(user);
  return (
    <PanelSection title={t('cases.guardian.title')} testId="guardian-panel" personId={member.personId} status={guardian?.verification ?? 'none'}>
      {guardian ? (
        <>
          <Group gap="xs" mb="xs">
            <Badge color={VERIFICATION_COLOR[guardian.verification]} variant="light" className="hw-badge" data-testid="guardian-verification-status" data-verification={guardian.verification}>
              {t(`cases.verifications.${guardian.verification}`)}
            </Badge>
          </Group>
          <Facts
            facts={[
              { label: t('cases.guardian.fullName'), value: guardian.fullName, dir: 'auto', testId: 'guardian-name' },
              { label: t('cases.guardian.relation'), value: t(`cases.relations.${guardian.relation}`) },
              { label: t('cases.guardian.verifiedBy'), value: guardian.verifiedBy || t('common.none'), dir: 'auto' },
              ...(guardian.contact ? [{ label: t('cases.guardian.contact'), value: guardian.contact, dir: 'auto' as const }] : []),
              ...(guardian.address ? [{ label: t('cases.guardian.address'), value: guardian.address, dir: 'auto' as const }] : []),
              ...(guardian.countryCode ? [{ label: t('cases.guardian.country'), value: countryName(guardian.countryCode, countries.data) }] : []),
            ]}
          />
        </>
      ) : (
        <Text size="sm" c="dimmed" data-testid="guardian-none">
          {t('cases.guardian.none')}
        </Text>
      )}
      {(may || mayVerifyGuardian(user)) && (
        <Group gap="xs" mt="sm">
          {guardian && mayVerifyGuardian(user) && (
            <Button size="compact-sm" onClick={() => setOpen('verify')} data-testid="guardian-verify-open">
              {t('cases.guardian.verify')}
            </Button>
          )}
          {may && (
            <Button size="compact-sm" variant={guardian ? 'light' : 'filled'} onClick={() => setOpen('name')} data-testid="guardian-name-open">
              {guardian ? t('cases.guardian.replace') : t('cases.guardian.name')}
            </Button>
          )}
        </Group>
      )}
      {open === 'name' && <GuardianForm c={c} member={member} onClose={() => setOpen(null)} />}
      {open === 'verify' && guardian && <VerifyForm c={c} guardian={guardian} onClose={() => setOpen(null)} />}
    </PanelSection>
  );
}

export { useCountryOptions };
