import { useEffect, useState } from 'preact/hooks';
import { api, background, isManager, messageOf, type User } from '../api';
import { askForNotifications, notificationsState } from '../notify';
import { loadPreferences, savePreferences, type Preferences } from '../prefs';
import { HoursSettings } from './hours-settings';
import type { Member } from './inbox';

interface Team {
  id: string;
  name: string;
  receivesHandoffs: boolean;
  members: (Member & { availability: string })[];
}

const EMPTY = { name: '', receivesHandoffs: false, memberIds: [] as string[] };

/** The caller's availability and notification preferences. */
function MyPreferences() {
  const [prefs, setPrefs] = useState<Preferences | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => background(loadPreferences().then(setPrefs, (err: Error) => setError(err.message))), []);
  const change = (patch: Partial<Preferences>) => {
    if (patch.browser && notificationsState() === 'default') background(askForNotifications());
    background(savePreferences(patch).then(setPrefs, (err: unknown) => setError(messageOf(err))));
  };
  if (!prefs) return error ? <p class="error" role="alert">{error}</p> : null;
  return (
    <section aria-labelledby="prefs-title">
      <h2 id="prefs-title">You</h2>
      <fieldset>
        <legend>Availability (away: no new hand-offs are assigned to you)</legend>
        {(['online', 'away'] as const).map((a) => (
          <label key={a}><input type="radio" name="availability" value={a} checked={prefs.availability === a} onChange={() => change({ availability: a })} /> {a === 'online' ? 'Online' : 'Away'}</label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Tell me about hand-offs and my customers’ messages by</legend>
        <label><input type="checkbox" name="browser" checked={prefs.browser} onChange={(e) => change({ browser: e.currentTarget.checked })} /> Browser notification</label>
        <label><input type="checkbox" name="sound" checked={prefs.sound} onChange={(e) => change({ sound: e.currentTarget.checked })} /> Sound</label>
        <label><input type="checkbox" name="email" checked={prefs.email} onChange={(e) => change({ email: e.currentTarget.checked })} /> Email</label>
      </fieldset>
      {error && <p class="error" role="alert">{error}</p>}
    </section>
  );
}

/** Teams: hand-offs go round-robin to the available members of the team that receives them. */
function Teams({ canEdit }: { canEdit: boolean }) {
  const [teams, setTeams] = useState<Team[]>([]);
  const [staff, setStaff] = useState<Member[]>([]);
  const [form, setForm] = useState(EMPTY);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => api<{ items: Team[] }>('/teams').then((r) => setTeams(r.items), (err: Error) => setError(err.message));
  useEffect(() => {
    background(load());
    background(api<{ items: Member[] }>('/users/directory').then((r) => setStaff(r.items)));
  }, []);

  const save = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      await (editing ? api(`/teams/${editing}`, { method: 'PATCH', body: form }) : api('/teams', { method: 'POST', body: form }));
      setForm(EMPTY);
      setEditing(null);
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const remove = (id: string) => background(api(`/teams/${id}`, { method: 'DELETE' }).then(load, (err: unknown) => setError(messageOf(err))));
  const toggle = (id: string, on: boolean) => setForm({ ...form, memberIds: on ? [...form.memberIds, id] : form.memberIds.filter((m) => m !== id) });

  return (
    <section aria-labelledby="teams-title">
      <h2 id="teams-title">Teams</h2>
      <p class="muted">Hand-offs are assigned in turn to the online members of the team that receives them (else the oldest team), and they are emailed.</p>
      {teams.length === 0 && <p class="muted">No team yet: hand-offs wait for anyone to take them.</p>}
      <ul class="teams" aria-label="Teams">
        {teams.map((t) => (
          <li key={t.id} data-team={t.name}>
            <strong>{t.name}</strong> {t.receivesHandoffs && <span class="badge waiting">receives hand-offs</span>}
            <span class="muted"> {t.members.map((m) => `${m.name ?? m.email}${m.availability === 'away' ? ' (away)' : ''}`).join(', ') || 'no members'}</span>
            {canEdit && <button type="button" class="secondary" onClick={() => { setEditing(t.id); setForm({ name: t.name, receivesHandoffs: t.receivesHandoffs, memberIds: t.members.map((m) => m.id) }); }}>Edit</button>}
            {canEdit && <button type="button" class="secondary" onClick={() => remove(t.id)}>Delete</button>}
          </li>
        ))}
      </ul>
      {canEdit && (
        <form class="row-form" onSubmit={(e) => background(save(e))} aria-label={editing ? 'Change the team' : 'Add a team'}>
          <label>Team name <input name="team-name" required maxLength={100} value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} /></label>
          <label><input type="checkbox" name="receivesHandoffs" checked={form.receivesHandoffs} onChange={(e) => setForm({ ...form, receivesHandoffs: e.currentTarget.checked })} /> Receives hand-offs</label>
          <fieldset>
            <legend>Members</legend>
            {staff.map((m) => (
              <label key={m.id}><input type="checkbox" checked={form.memberIds.includes(m.id)} onChange={(e) => toggle(m.id, e.currentTarget.checked)} /> {m.name ?? m.email}</label>
            ))}
          </fieldset>
          <button type="submit">{editing ? 'Save team' : 'Add team'}</button>
          {editing && <button type="button" class="secondary" onClick={() => { setEditing(null); setForm(EMPTY); }}>Cancel</button>}
        </form>
      )}
      {error && <p class="error" role="alert">{error}</p>}
    </section>
  );
}

/** The "Team" page: my availability and notifications, the teams, business hours and the SLA. */
export function HelpdeskPage({ user }: { user: User }) {
  return (
    <div class="page helpdesk">
      <h1>Team</h1>
      <MyPreferences />
      <Teams canEdit={isManager(user)} />
      {isManager(user) && <HoursSettings />}
    </div>
  );
}
