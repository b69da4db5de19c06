import { useEffect, useState } from 'preact/hooks';
import { api, background, messageOf } from '../api';
import './admin.css';

interface ChannelAccount {
  id: string;
  connectorId: string;
  name: string;
  publicKey: string | null;
  status: string;
  statusReason: string | null;
  secretFields: string[];
}

interface Field {
  type?: string | string[];
  title?: string;
  description?: string;
  secret?: boolean;
  enum?: unknown[];
  default?: unknown;
  items?: { type?: string };
}

interface Connector {
  id: string;
  channel: string;
  displayName: string;
  inbound: string;
  settingsSchema: { properties?: Record<string, Field>; required?: string[] };
}

/** Where the vendor must send its webhooks for this account, in the vendor's own words. */
function vendorUrls(account: ChannelAccount): { what: string; url: string }[] {
  const origin = location.origin;
  const id = account.id;
  switch (account.connectorId) {
    case 'twilio-sms': return [{ what: 'Twilio number → Messaging → “A message comes in” (HTTP POST)', url: `${origin}/hooks/twilio-sms/${id}` }];
    case 'twilio-voice': return [{ what: 'Twilio number → Voice → “A call comes in” (HTTP POST)', url: `${origin}/hooks/twilio-voice/${id}` }];
    case 'twilio-whatsapp': return [{ what: 'Twilio WhatsApp sender → “Webhook URL for incoming messages”', url: `${origin}/hooks/twilio-whatsapp/${id}` }];
    case 'slack': return [
      { what: 'Slack app → Event Subscriptions → Request URL (not needed with Socket Mode)', url: `${origin}/hooks/slack/events` },
      { what: 'Slack app → Interactivity → Request URL', url: `${origin}/hooks/slack/interactions` },
    ];
    default: return [];
  }
}

const typeOf = (field: Field): string => (Array.isArray(field.type) ? field.type.find((t) => t !== 'null') ?? 'string' : field.type ?? 'string');

/** The value a form field's text stands for, by the schema's type; undefined leaves the setting out. */
function valueOf(field: Field, text: string): unknown {
  const type = typeOf(field);
  if (type === 'boolean') return text === 'true';
  if (!text.trim()) return undefined;
  if (type === 'number' || type === 'integer') return Number(text);
  if (type === 'array') return text.split('\n').map((line) => line.trim()).filter(Boolean);
  return text.trim();
}

/**
 * Channel accounts (`/channel-accounts`) and a guided setup per connector: its settings form drawn
 * from the connector's own JSON Schema (`GET /connectors`), secrets as password fields, then the
 * URLs to paste at the vendor and "test connection" (`POST /channel-accounts/:id/test`).
 */
export function ChannelSetup() {
  const [accounts, setAccounts] = useState<ChannelAccount[] | null>(null);
  const [connectors, setConnectors] = useState<Connector[]>([]);
  const [result, setResult] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const load = () => api<{ items: ChannelAccount[] }>('/channel-accounts').then((r) => setAccounts(r.items), (err: Error) => setError(err.message));
  useEffect(() => {
    background(load());
    api<Connector[]>('/connectors').then(setConnectors, (err: Error) => setError(err.message));
  }, []);

  const test = async (account: ChannelAccount) => {
    setResult((r) => ({ ...r, [account.id]: 'Testing…' }));
    try {
      const answer = await api<{ ok: boolean; detail?: string }>(`/channel-accounts/${account.id}/test`, { method: 'POST', body: {} });
      setResult((r) => ({ ...r, [account.id]: answer.ok ? `Connected${answer.detail ? `: ${answer.detail}` : ''}` : `Failed${answer.detail ? `: ${answer.detail}` : ''}` }));
    } catch (err) {
      setResult((r) => ({ ...r, [account.id]: `Failed: ${messageOf(err)}` }));
    }
  };
  const remove = async (account: ChannelAccount) => {
    if (!confirm(`Remove the channel account “${account.name}”? Messages to it stop being answered.`)) return;
    try {
      await api(`/channel-accounts/${account.id}`, { method: 'DELETE' });
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <section aria-labelledby="channels-title">
      <h2 id="channels-title">Channels</h2>
      {accounts && accounts.length === 0 && <p class="muted">No channel connected yet.</p>}
      <ul class="plain">
        {accounts?.map((a) => (
          <li key={a.id} data-channel-account={a.connectorId}>
            <strong>{a.name}</strong> <span class="muted">({connectors.find((c) => c.id === a.connectorId)?.displayName ?? a.connectorId}, {a.status}{a.statusReason ? `: ${a.statusReason}` : ''})</span>
            {a.connectorId === 'webchat' && a.publicKey && (
              <pre class="snippet" aria-label="Widget code">{`<script src="${location.origin}/widget.js" data-key="${a.publicKey}" async></script>`}</pre>
            )}
            {vendorUrls(a).map((u) => (
              <p key={u.url}>{u.what}: <code data-vendor-url>{u.url}</code></p>
            ))}
            <div class="actions">
              <button type="button" class="secondary" onClick={() => background(test(a))}>Test connection</button>
              <button type="button" class="secondary" onClick={() => background(remove(a))} aria-label={`Remove ${a.name}`}>Remove</button>
              <span role="status" data-test-result={a.id}>{result[a.id]}</span>
            </div>
          </li>
        ))}
      </ul>
      {error && <p class="error" role="alert">{error}</p>}
      {connectors.length > 0 && <ConnectForm connectors={connectors} onCreated={(account) => { background(load().then(() => test(account))); }} />}
    </section>
  );
}

function ConnectForm({ connectors, onCreated }: { connectors: Connector[]; onCreated: (account: ChannelAccount) => void }) {
  const [connectorId, setConnectorId] = useState('');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const connector = connectors.find((c) => c.id === connectorId);
  const properties = Object.entries(connector?.settingsSchema.properties ?? {});
  const required = new Set(connector?.settingsSchema.required ?? []);

  const choose = (id: string) => {
    setConnectorId(id);
    const chosen = connectors.find((c) => c.id === id);
    setName(chosen?.displayName ?? '');
    const defaults: Record<string, string> = {};
    for (const [key, field] of Object.entries(chosen?.settingsSchema.properties ?? {})) {
      if (field.default !== undefined) defaults[key] = Array.isArray(field.default) ? field.default.join('\n') : String(field.default);
    }
    setValues(defaults);
    setError(null);
    setStatus(null);
  };

  const create = async (event: Event) => {
    event.preventDefault();
    if (!connector) return;
    setError(null);
    const settings: Record<string, unknown> = {};
    for (const [key, field] of properties) {
      const value = valueOf(field, values[key] ?? '');
      if (value !== undefined) settings[key] = value;
    }
    try {
      const account = await api<ChannelAccount>('/channel-accounts', { method: 'POST', body: { connectorId: connector.id, name, settings } });
      setStatus(`Added “${account.name}”: its URLs to paste and the connection test are in the list above.`);
      setConnectorId('');
      onCreated(account);
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <form class="stack setup-fields" aria-label="Connect a channel" onSubmit={(e) => background(create(e))}>
      <h3>Connect a channel</h3>
      <label for="setup-connector">Channel</label>
      <select id="setup-connector" value={connectorId} onChange={(e) => choose(e.currentTarget.value)}>
        <option value="">Choose…</option>
        {connectors.map((c) => <option key={c.id} value={c.id}>{c.displayName}</option>)}
      </select>
      {connector && (
        <>
          <label for="setup-name">Name (shown to the team)</label>
          <input id="setup-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          {properties.map(([key, field]) => {
            const id = `setup-${key}`;
            const type = typeOf(field);
            const label = (
              <label for={id}>
                {field.title ?? key}{required.has(key) ? ' (required)' : ''}
                {field.description && <small>{field.description}</small>}
              </label>
            );
            const set = (text: string) => setValues({ ...values, [key]: text });
            if (type === 'boolean') {
              return <label key={key} class="inline"><input id={id} type="checkbox" checked={values[key] === 'true'} onChange={(e) => set(String(e.currentTarget.checked))} /> {field.title ?? key}</label>;
            }
            if (field.enum) {
              return <div key={key}>{label}<select id={id} value={values[key] ?? ''} onChange={(e) => set(e.currentTarget.value)}><option value="">—</option>{field.enum.map((v) => <option key={String(v)} value={String(v)}>{String(v)}</option>)}</select></div>;
            }
            if (type === 'array') {
              return <div key={key}>{label}<textarea id={id} rows={2} placeholder="One per line" value={values[key] ?? ''} onInput={(e) => set(e.currentTarget.value)} /></div>;
            }
            return (
              <div key={key}>
                {label}
                <input id={id} type={field.secret ? 'password' : type === 'number' || type === 'integer' ? 'number' : 'text'} autoComplete="off" value={values[key] ?? ''} onInput={(e) => set(e.currentTarget.value)} />
              </div>
            );
          })}
          {properties.length === 0 && <p class="muted">This channel needs no settings.</p>}
          <button type="submit">Connect</button>
        </>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      {status && <p role="status">{status}</p>}
    </form>
  );
}
