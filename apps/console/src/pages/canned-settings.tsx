import { useEffect, useState } from 'preact/hooks';
import { api, background, messageOf, type Page } from '../api';
import type { CannedResponse } from './canned-picker';

const EMPTY = { shortcut: '', title: '', body: '' };

/** Canned responses of the tenant (owners and admins): add, change, delete. */
export function CannedResponses() {
  const [items, setItems] = useState<CannedResponse[]>([]);
  const [form, setForm] = useState(EMPTY);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => api<Page<CannedResponse>>('/canned-responses?limit=100').then((r) => setItems(r.items), (err: Error) => setError(err.message));
  useEffect(() => {
    background(load());
  }, []);

  const save = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      await (editing ? api(`/canned-responses/${editing}`, { method: 'PATCH', body: form }) : api('/canned-responses', { method: 'POST', body: form }));
      setForm(EMPTY);
      setEditing(null);
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const remove = async (id: string) => {
    try {
      await api(`/canned-responses/${id}`, { method: 'DELETE' });
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <section aria-labelledby="canned-title">
      <h2 id="canned-title">Canned responses</h2>
      <p class="muted">
        Placeholders are filled when a reply is written: {'{{contact.name}}'}, {'{{contact.email}}'}, {'{{agent.name}}'}, {'{{conversation.id}}'}, {'{{conversation.channel}}'}…; a fallback after a bar: {'{{contact.name|there}}'}.
      </p>
      <ul class="canned-list" aria-label="Canned responses">
        {items.map((c) => (
          <li key={c.id} data-canned={c.shortcut}>
            <strong>/{c.shortcut}</strong> {c.title}
            <button type="button" class="secondary" onClick={() => { setEditing(c.id); setForm({ shortcut: c.shortcut, title: c.title, body: c.body }); }}>Edit</button>
            <button type="button" class="secondary" onClick={() => background(remove(c.id))}>Delete</button>
          </li>
        ))}
      </ul>
      <form class="row-form" onSubmit={(e) => background(save(e))} aria-label={editing ? 'Change the canned response' : 'Add a canned response'}>
        <label>Shortcut <input required pattern="[a-z0-9-]+" maxLength={60} value={form.shortcut} onInput={(e) => setForm({ ...form, shortcut: e.currentTarget.value })} /></label>
        <label>Title <input required maxLength={200} value={form.title} onInput={(e) => setForm({ ...form, title: e.currentTarget.value })} /></label>
        <label class="grow">Text <textarea required rows={3} maxLength={4000} value={form.body} onInput={(e) => setForm({ ...form, body: e.currentTarget.value })} /></label>
        <button type="submit">{editing ? 'Save' : 'Add'}</button>
        {editing && <button type="button" class="secondary" onClick={() => { setEditing(null); setForm(EMPTY); }}>Cancel</button>}
      </form>
      {error && <p class="error" role="alert">{error}</p>}
    </section>
  );
}
