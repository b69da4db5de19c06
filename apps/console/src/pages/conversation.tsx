import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, background, latestOnly, type User } from '../api';
import { CHANNEL_LABELS, dateTime, STATUS_LABELS } from '../format';
import { useLive } from '../live-bus';
import { linkTo } from '../router';
import { handoffReason, TraceView, type Trace } from '../trace';
import { CannedPicker } from './canned-picker';
import { ContactPanel } from './contact-panel';
import { memberName, type Member } from './inbox';
import { IntentRelabel } from './intent-relabel';
import { LabelsEditor } from './labels-editor';

interface Part {
  type: string;
  text?: string;
  url?: string;
  name?: string;
  title?: string;
  attachmentId?: string;
  mimeType?: string;
  size?: number;
}

interface Message {
  id: string;
  direction: 'in' | 'out';
  authorKind: string;
  authorId: string | null;
  private: boolean;
  text: string | null;
  parts: Part[] | null;
  deliveryState: string | null;
  errorMessage: string | null;
  trace: Trace | null;
  createdAt: string;
}

interface Detail {
  id: string;
  status: string;
  channel: string;
  subject: string | null;
  intent: string | null;
  summary: string | null;
  assigneeId: string | null;
  labels: string[];
  createdAt: string;
  contact: { id: string; name: string | null; email: string | null; phone?: string | null; identities: { channel: string; address: string | null; displayName: string | null }[] } | null;
  messages: Message[];
}

const AUTHORS: Record<string, string> = { contact: 'Customer', bot: 'Bot', person: 'Team', system: 'System' };

export function ConversationView({ id, members, user, onChanged }: { id: string; members: Member[]; user: User; onChanged: () => void }) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [busy, setBusy] = useState(false);
  const end = useRef<HTMLFormElement>(null);

  const latest = useRef(latestOnly<Detail>()).current;
  const load = useCallback(
    () =>
      latest(
        api<Detail>(`/conversations/${id}`),
        (next) => {
          setDetail(next);
          setError(null);
        },
        (err) => setError(err.message),
      ),
    [id],
  );

  useEffect(() => {
    background(load());
  }, [load]);
  useEffect(() => end.current?.scrollIntoView({ block: 'nearest' }), [detail?.messages.length]);
  useLive((event) => {
    if (event.data.conversationId === id) background(load());
  });

  const act = async (path: string, body?: unknown) => {
    setBusy(true);
    try {
      await api(`/conversations/${id}/${path}`, { method: 'POST', body: body ?? {} });
      await load();
      onChanged();
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const send = async (event?: Event) => {
    event?.preventDefault();
    if (!text.trim()) return;
    await act(mode === 'reply' ? 'replies' : 'notes', { text });
    setText('');
  };

  if (!detail) return error ? <p class="error" role="alert">{error}</p> : <p class="muted">Loading…</p>;

  const handoff = [...detail.messages].reverse().find((m) => m.trace?.handoff)?.trace?.handoff;
  const contactName = detail.contact?.name ?? detail.contact?.email ?? 'Visitor';
  return (
    <article class="conversation" data-open-conversation={detail.id} data-status={detail.status}>
      <header class="conv-head">
        <a class="back" {...linkTo('/inbox')}>← Inbox</a>
        <h2>{contactName}</h2>
        <p class="muted">
          {CHANNEL_LABELS[detail.channel] ?? detail.channel} · <span class={`badge ${detail.status}`} data-conversation-status>{STATUS_LABELS[detail.status] ?? detail.status}</span>
          {detail.status !== 'bot' && <> · {memberName(members, detail.assigneeId)}</>}
          {detail.intent && <> · intent {detail.intent}</>}
        </p>
        <LabelsEditor conversationId={detail.id} labels={detail.labels} onChanged={() => { background(load()); onChanged(); }} />
        <IntentRelabel conversationId={detail.id} intent={detail.intent} onChanged={() => background(load())} />
        <div class="actions" role="group" aria-label="Conversation actions">
          {detail.assigneeId !== user.id && detail.status !== 'resolved' && (
            <button type="button" disabled={busy} onClick={() => background(act('assign', {}))}>Assign to me</button>
          )}
          {members.length > 1 && detail.status !== 'resolved' && (
            <label class="inline">
              <span class="visually-hidden">Assign to</span>
              <select
                value={detail.assigneeId ?? ''}
                disabled={busy}
                onChange={(e) => background(act('assign', { assigneeId: e.currentTarget.value || null }))}
                aria-label="Assign to"
              >
                <option value="">Unassigned</option>
                {members.map((m) => <option key={m.id} value={m.id}>{m.name ?? m.email}</option>)}
              </select>
            </label>
          )}
          {detail.status === 'resolved' ? (
            <button type="button" disabled={busy} onClick={() => background(act('reopen'))}>Reopen</button>
          ) : (
            <button type="button" disabled={busy} onClick={() => background(act('resolve'))}>Resolve</button>
          )}
          {detail.status !== 'bot' && detail.status !== 'resolved' && (
            <button type="button" class="secondary" disabled={busy} onClick={() => background(act('handback'))}>Hand back to the bot</button>
          )}
        </div>
      </header>
      {(detail.summary || handoff) && (
        <section class="summary" aria-label="Hand-off summary" data-handoff-summary>
          <h3>Hand-off</h3>
          {handoff && <p>Handed off because <strong>{handoffReason(handoff.reason)}</strong>.</p>}
          {(detail.summary ?? handoff?.summary) && <p>{detail.summary ?? handoff?.summary}</p>}
        </section>
      )}
      {detail.contact && (
        <details class="contact-box">
          <summary>Contact, channels and past conversations</summary>
          <ContactPanel contactId={detail.contact.id} conversationId={detail.id} onMerged={() => { background(load()); onChanged(); }} />
        </details>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      <ol class="messages" aria-label="Messages" aria-live="polite">
        {detail.messages.map((m) => (
          <li key={m.id} class={`msg ${m.authorKind} ${m.private ? 'note' : ''}`} data-message={m.id} data-author={m.authorKind}>
            <div class="msg-head">
              <strong>{m.private ? 'Private note' : m.authorKind === 'person' ? memberName(members, m.authorId) : AUTHORS[m.authorKind] ?? m.authorKind}</strong>
              <time dateTime={m.createdAt}>{dateTime(m.createdAt)}</time>
              {m.deliveryState === 'failed' && <span class="error"> not delivered{m.errorMessage ? `: ${m.errorMessage}` : ''}</span>}
            </div>
            <div class="msg-text">{m.text}</div>
            {m.parts?.filter((p) => ['image', 'file', 'audio'].includes(p.type)).map((p, i) => (
              <AttachmentView key={i} part={p} />
            ))}
            {m.trace && m.authorKind === 'bot' && (
              <details>
                <summary>Why the bot said this</summary>
                <TraceView trace={m.trace} />
              </details>
            )}
          </li>
        ))}
      </ol>
      <form class="composer" ref={end} onSubmit={(e) => background(send(e))}>
        <div class="tabs" role="radiogroup" aria-label="Write">
          <label><input type="radio" name="mode" checked={mode === 'reply'} onChange={() => setMode('reply')} /> Reply to the customer</label>
          <label><input type="radio" name="mode" checked={mode === 'note'} onChange={() => setMode('note')} /> Private note</label>
        </div>
        <CannedPicker conversationId={id} onInsert={(filled) => setText((current) => (current.trim() ? `${current.trimEnd()}\n${filled}` : filled))} />
        <label for="composer-text" class="visually-hidden">{mode === 'reply' ? 'Reply' : 'Note'}</label>
        <textarea
          id="composer-text"
          rows={3}
          value={text}
          placeholder={mode === 'reply' ? `Reply on ${CHANNEL_LABELS[detail.channel] ?? detail.channel} (Ctrl+Enter sends)` : 'Only the team sees notes'}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) background(send());
          }}
        />
        <button type="submit" disabled={busy || !text.trim()}>{mode === 'reply' ? 'Send reply' : 'Add note'}</button>
      </form>
    </article>
  );
}

/**
 * A file the customer sent, through the short-lived signed link the API puts on its part. Pictures
 * served by this origin (local storage) are shown; anything else is a link the browser downloads
 * (the link's own headers keep it from running as a page).
 */
function AttachmentView({ part }: { part: Part }) {
  const label = part.name ?? (part.type === 'image' ? 'Picture' : part.type === 'audio' ? 'Recording' : 'File');
  const size = typeof part.size === 'number' ? ` (${Math.ceil(part.size / 1024)} kB)` : '';
  if (!part.url) return <div class="attachment"><span>{label}{size}: not kept</span></div>;
  const sameOrigin = new URL(part.url, location.href).origin === location.origin;
  return (
    <div class="attachment" data-attachment={part.attachmentId}>
      {part.type === 'image' && sameOrigin && <img src={part.url} alt={label} />}
      <a href={part.url} download={part.name ?? true} rel="noopener noreferrer">
        {part.type === 'image' ? 'Open' : 'Download'} {label}{size}
      </a>
    </div>
  );
}
