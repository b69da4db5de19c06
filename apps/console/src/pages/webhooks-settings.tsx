import { useEffect, useState } from 'preact/hooks';
import { api, background, messageOf } from '../api';
import { ago } from '../format';
import './admin.css';

interface Webhook {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  lastDeliveryAt: string | null;
  lastStatus: string | null;
  lastError: string | null;
}

/** The events a webhook may take (the API's `WEBHOOK_EVENT_NAMES`); none ticked: every event. */
const EVENTS = [
  'handoff', 'assigned', 'resolved', 'reopened', 'handed_back', 'csat', 'delivery',
  'gap_opened', 'gap_dismissed', 'gap_closed', 'article_suggested', 'suggestion_rejected', 'article_published', 'experiment_started', 'experiment_stopped',
];

/**
 * Outbound webhooks (`/webhooks`): add (the signing secret shown once), change the URL and events,
 * pause, delete, and "Send a test" (`POST /webhooks/:id/ping`, a signed `ping` now, with how the
 * endpoint answered). The API keeps each webhook's last delivery, shown in the list.
 */
export function WebhooksSettings() {
  const [hooks, setHooks] = useState<Webhook[] | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [results, setResults] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const load = () => api<{ items: Webhook[] }>('/webhooks').then((r) => setHooks(r.items), (err: Error) => setError(err.message));
  useEffect(() => {
    background(load());
  }, []);

  const save = async (id: string | null, body: { url: string; events: string[] }) => {
    setError(null);
    try {
      if (id) await api(`/webhooks/${id}`, { method: 'PATCH', body });
      else setSecret((await api<Webhook & { secret: string }>('/webhooks', { method: 'POST', body })).secret);
      setEditing(null);
      await load();
      return true;
    } catch (err) {
      setError(messageOf(err));
      return false;
    }
  };
  const call = async (hook: Webhook, what: 'ping' | 'pause' | 'delete') => {
    setError(null);
    try {
      if (what === 'ping') {
        setResults((r) => ({ ...r, [hook.id]: 'Sending…' }));
        const answer = await api<{ ok: boolean; error: string | null }>(`/webhooks/${hook.id}/ping`, { method: 'POST', body: {} });
        setResults((r) => ({ ...r, [hook.id]: answer.ok ? 'The endpoint accepted the test.' : `The endpoint failed: ${answer.error ?? 'no answer'}` }));
      } else if (what === 'pause') {
        await api(`/webhooks/${hook.id}`, { method: 'PATCH', body: { active: !hook.active } });
      } else {
        if (!confirm(`Delete the webhook to ${hook.url}?`)) return;
        await api(`/webhooks/${hook.id}`, { method: 'DELETE' });
      }
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <section aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      {secret && (
        <div role="status" data-webhook-secret>
          <p>Signing secret of the new webhook (check <code>X-CS-Signature</code> with it). Copy it now: it is not shown again.</p>
          <pre class="secret">{secret}</pre>
          <button type="button" class="secondary" onClick={() => setSecret(null)}>I have copied it</button>
        </div>
      )}
      {hooks && hooks.length === 0 && <p class="muted">No webhook yet.</p>}
      <ul class="plain">
        {hooks?.map((h) => (
          <li key={h.id} data-webhook={h.url}>
            {editing === h.id ? (
              <WebhookForm initial={h} label={`Edit the webhook to ${h.url}`} onSave={(body) => save(h.id, body)} onCancel={() => setEditing(null)} />
            ) : (
              <>
                <strong>{h.url}</strong> {!h.active && <span class="badge">paused</span>}
                <p class="muted">
                  {h.events.length ? h.events.join(', ') : 'every event'} · last delivery:{' '}
                  <span data-last-delivery>{h.lastDeliveryAt ? `${h.lastStatus ?? ''} ${ago(h.lastDeliveryAt)}${h.lastError ? ` (${h.lastError})` : ''}` : 'none yet'}</span>
                </p>
                <div class="actions" role="group" aria-label={`Webhook ${h.url}`}>
                  <button type="button" class="secondary" onClick={() => background(call(h, 'ping'))}>Send a test</button>
                  <button type="button" class="secondary" onClick={() => setEditing(h.id)}>Edit</button>
                  <button type="button" class="secondary" onClick={() => background(call(h, 'pause'))}>{h.active ? 'Pause' : 'Resume'}</button>
                  <button type="button" class="secondary" onClick={() => background(call(h, 'delete'))}>Delete</button>
                  <span role="status" data-ping-result={h.id}>{results[h.id]}</span>
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
      {editing === null && <WebhookForm label="Add a webhook" onSave={(body) => save(null, body)} />}
      {error && <p class="error" role="alert">{error}</p>}
    </section>
  );
}

function WebhookForm({ initial, label, onSave, onCancel }: { initial?: Webhook; label: string; onSave: (body: { url: string; events: string[] }) => Promise<boolean>; onCancel?: () => void }) {
  const [url, setUrl] = useState(initial?.url ?? '');
  const [events, setEvents] = useState<string[]>(initial?.events ?? []);
  const submit = async (event: Event) => {
    event.preventDefault();
    if ((await onSave({ url: url.trim(), events })) && !initial) {
      setUrl('');
      setEvents([]);
    }
  };
  return (
    <form aria-label={label} onSubmit={(e) => background(submit(e))}>
      <label>URL (https) <input type="url" required value={url} onInput={(e) => setUrl(e.currentTarget.value)} /></label>
      <fieldset class="checks-list">
        <legend>Events (none ticked: every event)</legend>
        {EVENTS.map((name) => (
          <label key={name}>
            <input type="checkbox" checked={events.includes(name)} onChange={(e) => setEvents(e.currentTarget.checked ? [...events, name] : events.filter((x) => x !== name))} /> {name}
          </label>
        ))}
      </fieldset>
      <div class="actions">
        <button type="submit">{initial ? 'Save webhook' : 'Add webhook'}</button>
        {onCancel && <button type="button" class="secondary" onClick={onCancel}>Cancel</button>}
      </div>
    </form>
  );
}
