import { useEffect, useState } from 'preact/hooks';
import { api, background, messageOf } from '../api';
import { ago } from '../format';
import './admin.css';

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const SCOPES: Record<string, string> = {
  'channel:api': 'API channel (your own app talks to the agent)',
  agent: 'Console API as an agent',
  admin: 'Console API as an admin',
};

/** API keys (`/api-keys`): created with a name and scope, the key shown once (only its hash is kept), revoked. */
export function ApiKeys() {
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [name, setName] = useState('');
  const [scope, setScope] = useState('channel:api');
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => api<{ items: ApiKey[] }>('/api-keys').then((r) => setKeys(r.items), (err: Error) => setError(err.message));
  useEffect(() => {
    background(load());
  }, []);

  const create = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      const key = await api<ApiKey & { key: string }>('/api-keys', { method: 'POST', body: { name, scopes: [scope] } });
      setCreated({ name: key.name, key: key.key });
      setName('');
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const revoke = async (key: ApiKey) => {
    if (!confirm(`Revoke “${key.name}”? Whatever uses it stops working.`)) return;
    try {
      await api(`/api-keys/${key.id}`, { method: 'DELETE' });
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      {created && (
        <div role="status" data-new-key>
          <p>The key “{created.name}”. Copy it now: it is not shown again.</p>
          <pre class="secret" aria-label="New API key" data-key-value>{created.key}</pre>
          <button type="button" class="secondary" onClick={() => setCreated(null)}>I have copied it</button>
        </div>
      )}
      <div class="table-wrap">
        <table>
          <thead><tr><th scope="col">Name</th><th scope="col">Key</th><th scope="col">Use</th><th scope="col">Last used</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {keys?.map((k) => (
              <tr key={k.id} data-api-key={k.name} data-revoked={k.revokedAt ? 'true' : 'false'}>
                <td>{k.name}</td>
                <td><code>{k.prefix}…</code></td>
                <td>{k.scopes.map((s) => SCOPES[s] ?? s).join(', ')}</td>
                <td>{k.revokedAt ? `revoked ${ago(k.revokedAt)}` : k.lastUsedAt ? ago(k.lastUsedAt) : 'never'}</td>
                <td>{!k.revokedAt && <button type="button" class="secondary" onClick={() => background(revoke(k))} aria-label={`Revoke ${k.name}`}>Revoke</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form class="row-form" aria-label="Create an API key" onSubmit={(e) => background(create(e))}>
        <label class="grow">Name <input required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} /></label>
        <label>For
          <select value={scope} onChange={(e) => setScope(e.currentTarget.value)}>
            {Object.entries(SCOPES).map(([value, text]) => <option key={value} value={value}>{text}</option>)}
          </select>
        </label>
        <button type="submit">Create key</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
    </section>
  );
}
