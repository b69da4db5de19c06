import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, background, latestOnly, query, type Page, type User } from '../api';
import { ago, CHANNEL_LABELS, STATUS_LABELS, waited } from '../format';
import { useLive } from '../live-bus';
import { linkTo } from '../router';
import { ConversationView } from './conversation';

export interface ConversationSummary {
  id: string;
  status: string;
  channel: string;
  subject: string | null;
  intent: string | null;
  assigneeId: string | null;
  labels: string[];
  contact: { id: string; name: string | null; email: string | null };
  preview: string | null;
  lastMessageAt: string | null;
  createdAt: string;
  /** The SLA clock: since when the customer waits for a person, and when the wait passed the tenant's SLA. */
  waitingSince?: string | null;
  slaBreachedAt?: string | null;
}

export interface Member {
  id: string;
  name: string | null;
  email: string;
}

const STATUS_FILTERS = [
  { value: 'waiting,assigned', label: 'Needs a person' },
  { value: 'waiting', label: 'Waiting for a person' },
  { value: 'assigned', label: 'Assigned' },
  { value: 'bot', label: 'With the bot' },
  { value: 'resolved', label: 'Resolved' },
  { value: '', label: 'All' },
];

export function memberName(members: Member[], id: string | null): string {
  if (!id) return 'Unassigned';
  const member = members.find((m) => m.id === id);
  return member ? (member.name ?? member.email) : 'Someone';
}

/** Conversations, waiting for a person first and the longest waiting on top; the open one beside. */
export function InboxPage({ path, user }: { path: string; search: URLSearchParams; user: User }) {
  const openId = path.split('/')[2];
  const [status, setStatus] = useState('waiting,assigned');
  const [channel, setChannel] = useState('');
  const [assignee, setAssignee] = useState('');
  const [q, setQ] = useState('');
  const [intent, setIntent] = useState('');
  const [label, setLabel] = useState('');
  const [page, setPage] = useState<Page<ConversationSummary> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [members, setMembers] = useState<Member[]>([]);
  const [changed, setChanged] = useState(0);
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => {
    api<{ items: Member[] }>('/users/directory').then((r) => setMembers(r.items), () => setMembers([]));
  }, []);

  const latest = useRef(latestOnly<Page<ConversationSummary>>()).current;
  const load = useCallback(
    () =>
      latest(
        api<Page<ConversationSummary>>(`/conversations${query({ status, channel, assignee, intent, label, q, order: 'queue', limit: 50 })}`),
        (next) => {
          setPage(next);
          setError(null);
        },
        (err) => setError(err.message),
      ),
    [status, channel, assignee, intent, label, q],
  );

  useEffect(() => {
    background(load());
  }, [load]);

  // Many events may arrive together (a message and its hand-off): one reload for the burst.
  useLive((event) => {
    if (event.type === 'ping') return;
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      background(load());
      setChanged((n) => n + 1);
    }, 100);
  });

  const loadMore = async () => {
    if (!page?.nextCursor) return;
    const more = await api<Page<ConversationSummary>>(
      `/conversations${query({ status, channel, assignee, intent, label, q, order: 'queue', limit: 50, after: page.nextCursor })}`,
    );
    setPage({ items: [...page.items, ...more.items], nextCursor: more.nextCursor });
  };

  return (
    <div class={`inbox ${openId ? 'has-open' : ''}`}>
      <section class="inbox-list" aria-labelledby="inbox-title">
        <h1 id="inbox-title">Inbox</h1>
        <form class="filters" onSubmit={(e) => e.preventDefault()} role="search">
          <label>
            Status
            <select value={status} onChange={(e) => setStatus(e.currentTarget.value)} name="status">
              {STATUS_FILTERS.map((f) => <option key={f.value} value={f.value}>{f.label}</option>)}
            </select>
          </label>
          <label>
            Channel
            <select value={channel} onChange={(e) => setChannel(e.currentTarget.value)} name="channel">
              <option value="">All channels</option>
              {Object.entries(CHANNEL_LABELS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
            </select>
          </label>
          <label>
            Assignee
            <select value={assignee} onChange={(e) => setAssignee(e.currentTarget.value)} name="assignee">
              <option value="">Anyone</option>
              <option value="me">Me</option>
              <option value="none">Unassigned</option>
              {members.filter((m) => m.id !== user.id).map((m) => <option key={m.id} value={m.id}>{m.name ?? m.email}</option>)}
            </select>
          </label>
          <label>
            Intent
            <input value={intent} placeholder="e.g. order_status" size={12} onChange={(e) => setIntent(e.currentTarget.value.trim())} />
          </label>
          <label>
            Label
            <input name="label" value={label} placeholder="e.g. vip" size={10} onChange={(e) => setLabel(e.currentTarget.value.trim())} />
          </label>
          <label class="grow">
            Search
            <input type="search" value={q} placeholder="Words, order number, email…" onChange={(e) => setQ(e.currentTarget.value)} />
          </label>
        </form>
        {error && <p class="error" role="alert">{error}</p>}
        {page && page.items.length === 0 && <p class="muted">Nothing here. New hand-offs appear at once.</p>}
        <ul class="conversations" aria-label="Conversations" data-changes={changed}>
          {page?.items.map((c) => (
            <li key={c.id}>
              <a {...linkTo(`/inbox/${c.id}`)} class={`row ${c.id === openId ? 'open' : ''}`} aria-current={c.id === openId ? 'true' : undefined} data-conversation={c.id} data-status={c.status}>
                <span class="row-top">
                  <strong>{c.contact.name ?? c.contact.email ?? 'Visitor'}</strong>
                  <span class={`badge ${c.status}`}>{STATUS_LABELS[c.status] ?? c.status}</span>
                  {c.waitingSince && (
                    <span class={`badge ${c.slaBreachedAt ? 'sla-breached' : 'waiting-time'}`} data-waiting-since={c.waitingSince} title={c.slaBreachedAt ? 'Waiting past the SLA' : 'Waiting for a person'}>
                      {c.slaBreachedAt ? 'SLA breached · ' : ''}waiting {waited(c.waitingSince)}
                    </span>
                  )}
                </span>
                <span class="row-preview">{c.subject ? `${c.subject} — ` : ''}{c.preview ?? ''}</span>
                <span class="row-meta muted">
                  {CHANNEL_LABELS[c.channel] ?? c.channel}
                  {c.intent && <> · {c.intent}</>}
                  {c.labels.map((l) => <span key={l} class="label-chip" data-label={l}>{l}</span>)}
                  {c.status !== 'bot' && <> · {memberName(members, c.assigneeId)}</>} · {ago(c.lastMessageAt ?? c.createdAt)}
                </span>
              </a>
            </li>
          ))}
        </ul>
        {page?.nextCursor && <button type="button" class="secondary" onClick={() => background(loadMore())}>Load more</button>}
      </section>
      <section class="inbox-open" aria-label="Conversation">
        {openId ? <ConversationView key={openId} id={openId} members={members} user={user} onChanged={() => background(load())} /> : <p class="muted empty">Choose a conversation.</p>}
      </section>
    </div>
  );
}
