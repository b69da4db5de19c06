import { useEffect, useState } from 'preact/hooks';
import { api, isManager, messageOf, type User, background } from '../api';
import { ApiKeys } from './api-keys';
import { CannedResponses } from './canned-settings';
import { ChannelSetup } from './channel-setup';
import { WebhooksSettings } from './webhooks-settings';

interface SettingsView {
  name: string;
  settings: {
    confidenceThreshold?: number | null;
    handoffMessage?: string | null;
    expectedResponseTime?: string | null;
    brandVoice?: string | null;
    timezone?: string | null;
    llmProvider?: string | null;
    llmModel?: string | null;
  };
}

interface TeamMember {
  id: string;
  email: string;
  name: string | null;
  role: string;
  disabled: boolean;
}

export function SettingsPage({ user }: { user: User }) {
  const manager = isManager(user);
  if (user.role === 'operator') return <div class="settings"><h1>Settings</h1><Password /></div>;
  return (
    <div class="settings">
      <h1>Settings</h1>
      <AgentSettings canEdit={manager} />
      {manager && <Team user={user} />}
      {manager && <ChannelSetup />}
      {manager && <ApiKeys />}
      {manager && <WebhooksSettings />}
      {manager && <CannedResponses />}
      <Password />
    </div>
  );
}

function AgentSettings({ canEdit }: { canEdit: boolean }) {
  const [view, setView] = useState<SettingsView | null>(null);
  const [form, setForm] = useState({ confidenceThreshold: '', handoffMessage: '', expectedResponseTime: '', brandVoice: '', timezone: '' });
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<SettingsView>('/settings').then((v) => {
      setView(v);
      const s = v.settings;
      setForm({
        confidenceThreshold: s.confidenceThreshold === null || s.confidenceThreshold === undefined ? '' : String(s.confidenceThreshold),
        handoffMessage: s.handoffMessage ?? '',
        expectedResponseTime: s.expectedResponseTime ?? '',
        brandVoice: s.brandVoice ?? '',
        timezone: s.timezone ?? '',
      });
    }, (err: Error) => setError(err.message));
  }, []);

  const save = async (event: Event) => {
    event.preventDefault();
    setError(null);
    const orNull = (text: string) => (text.trim() ? text.trim() : null);
    try {
      const saved = await api<SettingsView>('/settings', {
        method: 'PATCH',
        body: {
          confidenceThreshold: form.confidenceThreshold.trim() ? Number(form.confidenceThreshold) : null,
          handoffMessage: orNull(form.handoffMessage),
          expectedResponseTime: orNull(form.expectedResponseTime),
          brandVoice: orNull(form.brandVoice),
          timezone: orNull(form.timezone),
        },
      });
      setView(saved);
      setStatus('Saved. The agent uses these from its next reply.');
    } catch (err) {
      setStatus(null);
      setError(messageOf(err));
    }
  };

  const field = (key: keyof typeof form) => ({
    value: form[key],
    readOnly: !canEdit,
    onInput: (e: Event) => setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value }),
  });

  return (
    <section aria-labelledby="agent-settings">
      <h2 id="agent-settings">The agent{view && <> of {view.name}</>}</h2>
      <form class="stack" onSubmit={(e) => background(save(e))}>
        <label for="s-threshold">Confidence threshold (0 to 1; below it the agent hands off)</label>
        <input id="s-threshold" type="number" min={0} max={1} step={0.01} {...field('confidenceThreshold')} />
        <label for="s-handoff">Hand-off message (what the customer reads when a person takes over)</label>
        <textarea id="s-handoff" rows={2} {...field('handoffMessage')} />
        <label for="s-response">Expected response time (e.g. “within 2 hours”)</label>
        <input id="s-response" {...field('expectedResponseTime')} />
        <label for="s-voice">Brand voice (tone for generated answers)</label>
        <textarea id="s-voice" rows={2} {...field('brandVoice')} />
        <label for="s-tz">Time zone (e.g. Europe/London)</label>
        <input id="s-tz" {...field('timezone')} />
        {error && <p class="error" role="alert">{error}</p>}
        {status && <p class="muted" role="status">{status}</p>}
        {canEdit && <button type="submit">Save settings</button>}
      </form>
    </section>
  );
}

function Team({ user }: { user: User }) {
  const [members, setMembers] = useState<TeamMember[]>([]);
  const [form, setForm] = useState({ email: '', name: '', password: '', role: 'agent' });
  const [error, setError] = useState<string | null>(null);
  const load = () => api<{ items: TeamMember[] }>('/users').then((r) => setMembers(r.items), (err: Error) => setError(err.message));
  useEffect(() => {
    background(load());
  }, []);

  const add = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      await api('/users', { method: 'POST', body: { ...form, name: form.name || undefined } });
      setForm({ email: '', name: '', password: '', role: 'agent' });
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const toggle = async (member: TeamMember) => {
    try {
      await api(`/users/${member.id}`, { method: 'PATCH', body: { disabled: !member.disabled } });
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <section aria-labelledby="team-title">
      <h2 id="team-title">Team</h2>
      <table>
        <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.id}>
              <td>{m.name ?? '—'}</td>
              <td>{m.email}</td>
              <td>{m.role}{m.disabled && ' (disabled)'}</td>
              <td>{m.id !== user.id && <button type="button" class="secondary" onClick={() => background(toggle(m))}>{m.disabled ? 'Enable' : 'Disable'}</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="row-form" onSubmit={(e) => background(add(e))} aria-label="Add a team member">
        <label>Email <input type="email" required value={form.email} onInput={(e) => setForm({ ...form, email: e.currentTarget.value })} /></label>
        <label>Name <input value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} /></label>
        <label>First password <input type="password" required minLength={10} autoComplete="new-password" value={form.password} onInput={(e) => setForm({ ...form, password: e.currentTarget.value })} /></label>
        <label>Role
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value })}>
            <option value="agent">Agent</option>
            <option value="admin">Admin</option>
            {user.role === 'owner' && <option value="owner">Owner</option>}
          </select>
        </label>
        <button type="submit">Add</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
    </section>
  );
}

function Password() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const change = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      await api('/users/me/password', { method: 'POST', body: { currentPassword: current, newPassword: next } });
      setCurrent('');
      setNext('');
      setStatus('Password changed; your other sessions were signed out.');
    } catch (err) {
      setStatus(null);
      setError(messageOf(err));
    }
  };
  return (
    <section aria-labelledby="password-title">
      <h2 id="password-title">Your password</h2>
      <form class="row-form" onSubmit={(e) => background(change(e))}>
        <label>Current password <input type="password" required autoComplete="current-password" value={current} onInput={(e) => setCurrent(e.currentTarget.value)} /></label>
        <label>New password <input type="password" required minLength={10} autoComplete="new-password" value={next} onInput={(e) => setNext(e.currentTarget.value)} /></label>
        <button type="submit">Change password</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {status && <p class="muted" role="status">{status}</p>}
    </section>
  );
}
