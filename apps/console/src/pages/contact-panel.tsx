import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, background, messageOf, query, type Page } from '../api';
import { ago, CHANNEL_LABELS, STATUS_LABELS } from '../format';
import { linkTo } from '../router';
import './admin.css';

interface Identity {
  id: string;
  channel: string;
  externalUserId: string;
  address: string | null;
  displayName: string | null;
  optedOutAt: string | null;
}

interface ContactDetail {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  identities: Identity[];
  conversations: { id: string; channel: string; status: string; subject: string | null; lastMessageAt: string | null; createdAt: string }[];
}

interface ContactSummary {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
}

const who = (c: { name: string | null; email: string | null; phone: string | null }) => c.name ?? c.email ?? c.phone ?? 'Unnamed visitor';

/**
 * The customer beside the conversation (`GET /contacts/:id`): who they are on every channel, their
 * other conversations, and merging a duplicate into them (`POST /contacts/:id/merge`, one
 * transaction on the server: identities and conversations move together, then the duplicate goes).
 */
export function ContactPanel({ contactId, conversationId, onMerged }: { contactId: string; conversationId: string; onMerged: () => void }) {
  const [contact, setContact] = useState<ContactDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    () => api<ContactDetail>(`/contacts/${contactId}`).then((c) => { setContact(c); setError(null); }, (err: Error) => setError(err.message)),
    [contactId],
  );
  useEffect(() => {
    background(load());
  }, [load]);

  if (!contact) return error ? <p class="error" role="alert">{error}</p> : null;
  const others = contact.conversations.filter((c) => c.id !== conversationId);
  return (
    <section class="contact-panel" aria-labelledby="contact-title" data-contact={contact.id}>
      <h3 id="contact-title">Contact: {who(contact)}</h3>
      <dl class="facts">
        {contact.email && <><dt>Email</dt><dd>{contact.email}</dd></>}
        {contact.phone && <><dt>Phone</dt><dd>{contact.phone}</dd></>}
        {contact.company && <><dt>Company</dt><dd>{contact.company}</dd></>}
      </dl>
      <h4>On every channel</h4>
      <ul class="plain identities" aria-label="Identities">
        {contact.identities.map((i) => (
          <li key={i.id} data-identity={i.channel}>
            <strong>{CHANNEL_LABELS[i.channel] ?? i.channel}</strong>{' '}
            {i.address ?? i.externalUserId}
            {i.displayName && <span class="muted"> ({i.displayName})</span>}
            {i.optedOutAt && <span class="muted"> (opted out)</span>}
          </li>
        ))}
        {contact.identities.length === 0 && <li class="muted">No identity recorded.</li>}
      </ul>
      <h4>Other conversations</h4>
      <ul class="plain" aria-label="Other conversations">
        {others.map((c) => (
          <li key={c.id} data-past-conversation={c.id}>
            <a {...linkTo(`/inbox/${c.id}`)}>{c.subject ?? `${CHANNEL_LABELS[c.channel] ?? c.channel} conversation`}</a>{' '}
            <span class="muted">{STATUS_LABELS[c.status] ?? c.status} · {ago(c.lastMessageAt ?? c.createdAt)}</span>
          </li>
        ))}
        {others.length === 0 && <li class="muted">None.</li>}
      </ul>
      <MergeForm
        into={contact}
        onMerged={() => {
          background(load());
          onMerged();
        }}
      />
      {error && <p class="error" role="alert">{error}</p>}
    </section>
  );
}

function MergeForm({ into, onMerged }: { into: ContactDetail; onMerged: () => void }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<ContactSummary[] | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const search = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setStatus(null);
    try {
      const page = await api<Page<ContactSummary>>(`/contacts${query({ q: q.trim(), limit: 10 })}`);
      setFound(page.items.filter((c) => c.id !== into.id));
    } catch (err) {
      setError(messageOf(err));
    }
  };

  const merge = async (duplicate: ContactSummary) => {
    if (!confirm(`Merge ${who(duplicate)} into ${who(into)}? Their identities and conversations move here; this cannot be undone.`)) return;
    setBusy(true);
    setError(null);
    try {
      await api(`/contacts/${into.id}/merge`, { method: 'POST', body: { contactId: duplicate.id } });
      setFound(null);
      setQ('');
      setStatus(`Merged ${who(duplicate)} into this contact.`);
      onMerged();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="merge">
      <summary>Merge a duplicate into this contact</summary>
      <form class="row-form" role="search" aria-label="Find a duplicate contact" onSubmit={(e) => background(search(e))}>
        <label class="grow">
          Name, email, phone or address
          <input type="search" required value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        </label>
        <button type="submit" class="secondary">Find</button>
      </form>
      {found && found.length === 0 && <p class="muted">No other contact matches.</p>}
      {found && found.length > 0 && (
        <ul class="plain" aria-label="Matching contacts">
          {found.map((c) => (
            <li key={c.id} data-merge-candidate={c.id}>
              {who(c)} {c.email && c.name && <span class="muted">{c.email}</span>}{' '}
              <button type="button" disabled={busy} onClick={() => background(merge(c))} aria-label={`Merge ${who(c)} into this contact`}>Merge</button>
            </li>
          ))}
        </ul>
      )}
      {status && <p role="status" data-merge-status>{status}</p>}
      {error && <p class="error" role="alert">{error}</p>}
    </details>
  );
}
