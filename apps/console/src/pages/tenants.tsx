import { useEffect, useState } from 'preact/hooks';
import { api, background, messageOf, query, type Page } from '../api';
import { ago } from '../format';
import './admin.css';

interface Tenant {
  id: string;
  name: string;
  slug: string;
  createdAt: string;
}

interface Usage {
  month: string;
  messagesIn: number;
  messagesOut: number;
  automatedResolutions: number;
}

const EMPTY = { name: '', slug: '', email: '', ownerName: '', password: '' };

/**
 * The service operator's page (`/tenants`, operators only): every tenant, a month's usage on demand
 * (`GET /tenants/:id/usage`), and a new tenant with its first owner (`POST /tenants`), who then
 * signs in here and invites the rest of the team.
 */
export function TenantsPage() {
  const [tenants, setTenants] = useState<Tenant[] | null>(null);
  const [usage, setUsage] = useState<Record<string, Usage | string>>({});
  const [form, setForm] = useState(EMPTY);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => api<Page<Tenant>>(`/tenants${query({ limit: 100 })}`).then((p) => setTenants(p.items), (err: Error) => setError(err.message));
  useEffect(() => {
    background(load());
  }, []);

  const create = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setStatus(null);
    try {
      const owner = { email: form.email, password: form.password, ...(form.ownerName.trim() ? { name: form.ownerName.trim() } : {}) };
      const tenant = await api<Tenant & { owner: { email: string } }>('/tenants', { method: 'POST', body: { name: form.name, slug: form.slug, owner } });
      setStatus(`Created ${tenant.name} (${tenant.slug}). ${tenant.owner.email} can sign in at ${location.origin}/console.`);
      setForm(EMPTY);
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const showUsage = async (tenant: Tenant) => {
    try {
      const month = new Date().toISOString().slice(0, 7);
      const answer = await api<Usage>(`/tenants/${tenant.id}/usage${query({ month })}`);
      setUsage((u) => ({ ...u, [tenant.id]: answer }));
    } catch (err) {
      setUsage((u) => ({ ...u, [tenant.id]: messageOf(err) }));
    }
  };
  const set = (key: keyof typeof EMPTY) => ({ value: form[key], onInput: (e: Event) => setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value }) });

  return (
    <div class="settings">
      <h1>Tenants</h1>
      <section aria-labelledby="tenants-list">
        <h2 id="tenants-list">Every shop on this service</h2>
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">Name</th><th scope="col">Slug</th><th scope="col">Since</th><th scope="col">This month</th></tr></thead>
            <tbody>
              {tenants?.map((t) => {
                const u = usage[t.id];
                return (
                  <tr key={t.id} data-tenant={t.slug}>
                    <td>{t.name}</td>
                    <td><code>{t.slug}</code></td>
                    <td>{ago(t.createdAt)}</td>
                    <td>
                      {u === undefined ? (
                        <button type="button" class="secondary" onClick={() => background(showUsage(t))} aria-label={`Usage of ${t.name}`}>Usage</button>
                      ) : typeof u === 'string' ? <span class="error">{u}</span> : (
                        <span data-usage>{u.messagesIn} in, {u.messagesOut} out, {u.automatedResolutions} resolved by the bot</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="tenant-new">
        <h2 id="tenant-new">New tenant</h2>
        <form class="stack" aria-label="Create a tenant" onSubmit={(e) => background(create(e))}>
          <label for="t-name">Shop name</label>
          <input id="t-name" required maxLength={200} {...set('name')} />
          <label for="t-slug">Slug (lowercase letters, digits and dashes)</label>
          <input id="t-slug" required pattern="[a-z0-9-]{2,60}" {...set('slug')} />
          <label for="t-email">First owner’s email</label>
          <input id="t-email" type="email" required {...set('email')} />
          <label for="t-owner">First owner’s name</label>
          <input id="t-owner" {...set('ownerName')} />
          <label for="t-password">First owner’s password (at least 10 characters; they change it after signing in)</label>
          <input id="t-password" type="password" required minLength={10} autoComplete="new-password" {...set('password')} />
          <button type="submit">Create tenant</button>
        </form>
        {error && <p class="error" role="alert">{error}</p>}
        {status && <p role="status" data-tenant-created>{status}</p>}
      </section>
    </div>
  );
}
