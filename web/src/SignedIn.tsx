import { Suspense, lazy, useEffect } from 'react';
import type { User } from './api/types';
import { mayOpenCase } from './api/cases';
import { AppLayout } from './components/AppLayout';
import { FullPageLoader } from './components/FullPageLoader';
import {
  ACCOUNT_PATH,
  type Section,
  accountOnly,
  identificationPageAt,
  mayRegisterPeople,
  maySendVerification,
  mayTrace,
  mayUse,
  sectionAt,
  subPageOf,
} from './navigation';
import { ForbiddenPage, NotFoundPage } from './pages/StatusPages';
import { HomePage } from './pages/HomePage';
import { PlaceholderPage } from './pages/PlaceholderPage';
import { navigate, usePath } from './router/router';

const AccountPage = lazy(() => import('./pages/AccountPage').then((m) => ({ default: m.AccountPage })));
const UsersPage = lazy(() => import('./pages/UsersPage').then((m) => ({ default: m.UsersPage })));
const AuditPage = lazy(() => import('./pages/AuditPage').then((m) => ({ default: m.AuditPage })));
const RegistryPage = lazy(() => import('./pages/RegistryPage').then((m) => ({ default: m.RegistryPage })));
const PersonPage = lazy(() => import('./pages/PersonPage').then((m) => ({ default: m.PersonPage })));
const RegisterPersonPage = lazy(() => import('./pages/RegisterPersonPage').then((m) => ({ default: m.RegisterPersonPage })));
const FacilitiesPage = lazy(() => import('./pages/FacilitiesPage').then((m) => ({ default: m.FacilitiesPage })));
const ImportPage = lazy(() => import('./pages/ImportPage').then((m) => ({ default: m.ImportPage })));
const FacilityPage = lazy(() => import('./pages/FacilityPage').then((m) => ({ default: m.FacilityPage })));
const IdentificationPage = lazy(() => import('./pages/IdentificationPage').then((m) => ({ default: m.IdentificationPage })));
const NewVerificationPage = lazy(() => import('./pages/NewVerificationPage').then((m) => ({ default: m.NewVerificationPage })));
const VerificationRequestPage = lazy(() =>
  import('./pages/VerificationRequestPage').then((m) => ({ default: m.VerificationRequestPage })),
);
const NewTracingPage = lazy(() => import('./pages/NewTracingPage').then((m) => ({ default: m.NewTracingPage })));
const CountriesPage = lazy(() => import('./pages/CountriesPage').then((m) => ({ default: m.CountriesPage })));
const CountryPage = lazy(() => import('./pages/CountryPage').then((m) => ({ default: m.CountryPage })));
const TracingRequestPage = lazy(() => import('./pages/TracingRequestPage').then((m) => ({ default: m.TracingRequestPage })));
const CasesPage = lazy(() => import('./pages/CasesPage').then((m) => ({ default: m.CasesPage })));
const CasePage = lazy(() => import('./pages/CasePage').then((m) => ({ default: m.CasePage })));
const NewCasePage = lazy(() => import('./pages/NewCasePage').then((m) => ({ default: m.NewCasePage })));
const FiguresPage = lazy(() => import('./pages/FiguresPage').then((m) => ({ default: m.FiguresPage })));
const MovementsPage = lazy(() => import('./pages/MovementsPage').then((m) => ({ default: m.MovementsPage })));
const MovementPage = lazy(() => import('./pages/MovementPage').then((m) => ({ default: m.MovementPage })));

/** The registry: the list at /people, a person at /registry/<id>, the form at /registry/new, the import at /registry/import. */
function RegistrySection({ id, user }: { readonly id: string | null; readonly user: User }) {
  if (id === null) return <RegistryPage user={user} />;
  if (id === 'new') return mayRegisterPeople(user) ? <RegisterPersonPage user={user} /> : <ForbiddenPage />;
  if (id === 'import') return mayRegisterPeople(user) ? <ImportPage /> : <ForbiddenPage />;
  return <PersonPage id={id} />;
}

/**
 * Identification: the tabs at /identification (verification requests, missions, tracing requests, possible matches),
 * a new verification request, one at /identification/requests/<id>; a new tracing request, one at /identification/tracing/<id>.
 */
function IdentificationSection({ path, user }: { readonly path: string; readonly user: User }) {
  const page = identificationPageAt(path);
  if (!page) return <NotFoundPage />;
  if (page.kind === 'list') return <IdentificationPage user={user} />;
  if (page.kind === 'new') return maySendVerification(user) ? <NewVerificationPage /> : <ForbiddenPage />;
  if (page.kind === 'newTracing') return mayTrace(user) ? <NewTracingPage user={user} /> : <ForbiddenPage />;
  if (page.kind === 'tracing') return mayTrace(user) ? <TracingRequestPage id={page.id} user={user} /> : <ForbiddenPage />;
  return <VerificationRequestPage id={page.id} user={user} />;
}

/** Cases: the board and table at /cases, the form at /cases/new (coordinator), a case at /cases/<id>. */
function CasesSection({ id, user }: { readonly id: string | null; readonly user: User }) {
  if (id === null) return <CasesPage user={user} />;
  if (id === 'new') return mayOpenCase(user) ? <NewCasePage /> : <ForbiddenPage />;
  return <CasePage id={id} user={user} />;
}

function PageFor({ section, user, path }: { readonly section: Section; readonly user: User; readonly path: string }) {
  if (section.planned) return <PlaceholderPage section={section.key} />;
  const id = subPageOf(section, path);
  switch (section.key) {
    case 'registry':
      return <RegistrySection id={id} user={user} />;
    case 'facilities':
      return id === null ? <FacilitiesPage /> : <FacilityPage id={id} user={user} />;
    case 'identification':
      return <IdentificationSection path={path} user={user} />;
    case 'cases':
      return <CasesSection id={id} user={user} />;
    case 'movements':
      return id === null ? <MovementsPage user={user} /> : <MovementPage id={id} user={user} />;
    case 'countries':
      return id === null ? <CountriesPage user={user} /> : <CountryPage code={id} user={user} />;
    case 'figures':
      return <FiguresPage user={user} />;
    case 'users':
      return <UsersPage />;
    case 'audit':
      return <AuditPage />;
    case 'account':
      return <AccountPage user={user} />;
    default:
      return <HomePage user={user} />;
  }
}

/** The app shell and the page at the current path, as far as the user's capabilities allow. */
export function SignedIn({ user }: { readonly user: User }) {
  const path = usePath();
  const accountDue = accountOnly(user);
  useEffect(() => {
    if (accountDue && path !== ACCOUNT_PATH) navigate(ACCOUNT_PATH, { replace: true });
  }, [accountDue, path]);

  const shown = accountDue ? ACCOUNT_PATH : path;
  const section = sectionAt(shown);
  let page: React.ReactNode;
  if (!section) page = <NotFoundPage />;
  else if (!mayUse(user, section)) page = <ForbiddenPage />;
  else page = <PageFor section={section} user={user} path={shown} />;

  return (
    <AppLayout user={user}>
      <Suspense fallback={<FullPageLoader />}>{page}</Suspense>
    </AppLayout>
  );
}
