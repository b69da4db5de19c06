import { render, type ComponentChildren } from 'preact';
import { useEffect, useErrorBoundary, useState } from 'preact/hooks';
import { api, background, currentUser, isManager, logout, onSessionChange, type User } from './api';
import { CHANNEL_LABELS } from './format';
import { openLiveStream, type LiveEvent } from './live';
import { publishLive } from './live-bus';
import { askForNotifications, chime, notificationsState, showNotification } from './notify';
import { AnalyticsPage } from './pages/analytics';
import { HelpdeskPage } from './pages/helpdesk';
import { ApprovalsPage } from './pages/approvals';
import { InboxPage } from './pages/inbox';
import { KnowledgePage } from './pages/knowledge';
import { LoginPage } from './pages/login';
import { SettingsPage } from './pages/settings';
import { loadPreferences, onPreferences, preferences, savePreferences } from './prefs';
import { TenantsPage } from './pages/tenants';
import { linkTo, navigate, useRoute } from './router';
import './styles.css';

const PAGES = [
  { path: '/inbox', label: 'Inbox' },
  { path: '/approvals', label: 'Approvals' },
  { path: '/knowledge', label: 'Knowledge' },
  { path: '/analytics', label: 'Analytics' },
  { path: '/team', label: 'Team' },
  { path: '/settings', label: 'Settings' },
] as const;

/** The service operator belongs to no tenant: they manage tenants (and their own password). */
const OPERATOR_PAGES = [
  { path: '/tenants', label: 'Tenants' },
  { path: '/settings', label: 'Settings' },
] as const;

function App() {
  const [user, setUser] = useState<User | null>(currentUser());
  useEffect(() => onSessionChange(() => setUser(currentUser())), []);
  const route = useRoute();

  if (!user) return <LoginPage />;
  return <Shell user={user} path={route.path} search={route.search} />;
}

function Shell({ user, path, search }: { user: User; path: string; search: URLSearchParams }) {
  const [connected, setConnected] = useState(false);
  const [alert, setAlert] = useState<{ text: string; conversationId?: string } | null>(null);
  const [permission, setPermission] = useState(notificationsState());
  // Sound and browser notifications follow the person's preferences (the Team page), kept by the server.
  const [sound, setSound] = useState(preferences().sound);
  useEffect(() => {
    background(loadPreferences());
    return onPreferences((prefs) => setSound(prefs.sound));
  }, [user.id]);

  useEffect(() => {
    const tell = (title: string, text: string, body: string, id: string | undefined) => {
      setAlert({ text, conversationId: id });
      if (preferences().sound) chime();
      if (preferences().browser) showNotification(title, body, () => id && navigate(`/inbox/${id}`));
    };
    if (user.role === 'operator') return undefined; // no tenant, no inbox to stream
    return openLiveStream((event: LiveEvent) => {
      publishLive(event);
      const id = event.data.conversationId;
      const channel = event.data.channel ? (CHANNEL_LABELS[event.data.channel] ?? event.data.channel) : null;
      const said = typeof event.data.detail?.text === 'string' ? event.data.detail.text : '';
      if (event.type === 'handoff') {
        const text = channel ? `${channel}: a conversation was handed to the team` : 'A conversation was handed to the team';
        tell('Hand-off: a customer is waiting', text, said || text, id);
      } else if (event.type === 'message' && event.data.detail?.authorKind === 'contact' && id) {
        // A customer wrote into a conversation: tell its assignee (the event does not say who that is).
        background(
          api<{ assigneeId: string | null; status: string }>(`/conversations/${id}`).then((c) => {
            if (c.status === 'assigned' && c.assigneeId === user.id) tell('A customer of yours wrote', 'A customer of yours wrote', said, id);
          }),
        );
      }
    }, setConnected);
  }, [user.id]);

  const operator = user.role === 'operator';
  const first = path.split('/')[1];
  const section = operator && (!first || first === 'inbox') ? '/tenants' : `/${first ?? ''}`;
  const page =
    operator ? (section === '/settings' ? <SettingsPage user={user} /> : <TenantsPage />) :
    section === '/approvals' ? <ApprovalsPage /> :
    section === '/knowledge' ? <KnowledgePage path={path} canEdit={isManager(user)} /> :
    section === '/analytics' ? <AnalyticsPage /> :
    section === '/settings' ? <SettingsPage user={user} /> :
    section === '/team' ? <HelpdeskPage user={user} /> :
    <InboxPage path={path} search={search} user={user} />;

  return (
    <div class="shell">
      <a class="skip" href="#main">Skip to content</a>
      <header class="topbar">
        <span class="brand">Support console</span>
        <nav aria-label="Sections">
          {(operator ? OPERATOR_PAGES : PAGES).map((p) => (
            <a key={p.path} {...linkTo(p.path)} aria-current={section === p.path ? 'page' : undefined}>
              {p.label}
            </a>
          ))}
        </nav>
        <span class="spacer" />
        {!operator && (
          <span class={`live ${connected ? 'on' : 'off'}`} role="status" data-live-state={connected ? 'connected' : 'disconnected'}>
            {connected ? 'Live' : 'Reconnecting…'}
          </span>
        )}
        {permission === 'default' && (
          <button type="button" class="secondary" onClick={() => background(askForNotifications().then(setPermission))}>
            Turn on notifications
          </button>
        )}
        <button
          type="button"
          class="secondary"
          aria-pressed={sound}
          onClick={() => background(savePreferences({ sound: !sound }))}
        >
          Sound {sound ? 'on' : 'off'}
        </button>
        <span class="who" title={user.email}>{user.name ?? user.email} · {user.role}</span>
        <button type="button" class="secondary" onClick={() => background(logout())}>Sign out</button>
      </header>
      <div class="alert-region" role="alert" aria-live="assertive">
        {alert && (
          <div class="alert" data-handoff-alert={alert.conversationId}>
            <span>{alert.text}.</span>
            {alert.conversationId && <a {...linkTo(`/inbox/${alert.conversationId}`)}>Open it</a>}
            <button type="button" class="link" onClick={() => setAlert(null)} aria-label="Dismiss">×</button>
          </div>
        )}
      </div>
      <main id="main" tabIndex={-1}>
        <PageBoundary key={section}>{page}</PageBoundary>
      </main>
    </div>
  );
}

/** A page that fails to draw says so, and the rest of the console (navigation, live alerts) keeps working. */
function PageBoundary({ children }: { children: ComponentChildren }) {
  const [error, reset] = useErrorBoundary((err: Error) => console.error(err));
  if (error) {
    return (
      <div role="alert" class="error">
        <p>This page could not be shown: {(error as Error).message}</p>
        <button type="button" onClick={reset}>Try again</button>
      </div>
    );
  }
  return <>{children}</>;
}

render(<App />, document.getElementById('app')!);
