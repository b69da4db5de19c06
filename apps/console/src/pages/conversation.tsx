import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, type User, background } from '../api';
import { CHANNEL_LABELS, dateTime, STATUS_LABELS } from '../format';
import { useLive } from '../live-bus';
import { linkTo } from '../router';
import { handoffReason, TraceView, type Trace } from '../trace';
import { memberName, type Member } from './inbox';

interface Part {
  type: string;
  text?: string;
  url?: string;
  name?: string;
  filename?: string;
  contentType?: string;
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
  const end = useRef<HTMLDivElement>(null);

  const load = useCallback(async () => {
    try {
      setDetail(await api<Detail>(`/conversations/${id}`));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [id]);

  useEffect(() => {
    background(load());
  }, [load]);
  useEffect(() => end.current?.scrollIntoView({ block: 'end' }), [detail?.messages.length]);
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
            {m.parts?.filter((p) => p.type !== 'text').map((p, i) => (
              <div key={i} class="attachment">
                {p.url ? <a href={p.url} target="_blank" rel="noopener noreferrer">{p.name ?? p.filename ?? p.type}</a> : <span>{p.name ?? p.filename ?? p.type}</span>}
              </div>
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
      <div ref={end} />
      <form class="composer" onSubmit={(e) => background(send(e))}>
        <div class="tabs" role="radiogroup" aria-label="Write">
          <label><input type="radio" name="mode" checked={mode === 'reply'} onChange={() => setMode('reply')} /> Reply to the customer</label>
          <label><input type="radio" name="mode" checked={mode === 'note'} onChange={() => setMode('note')} /> Private note</label>
        </div>
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
