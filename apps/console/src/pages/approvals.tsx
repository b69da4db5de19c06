import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, background, latestOnly, messageOf, query, type Page } from '../api';
import { ago, dateTime } from '../format';
import { useLive } from '../live-bus';
import { linkTo } from '../router';
import './admin.css';

interface Approval {
  id: string;
  conversationId: string;
  action: string;
  request: Record<string, unknown>;
  backendId: string;
  status: string;
  result: Record<string, unknown> | null;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}

const ACTIONS: Record<string, string> = {
  cancel_order: 'Cancel the order',
  return_order: 'Return items',
  exchange_order: 'Exchange items',
  change_address: 'Change the shipping address',
  modify_items: 'Change the items of an order not yet shipped',
};

const STATES: Record<string, string> = {
  awaiting_approval: 'Waiting for approval',
  rejected: 'Rejected',
  started: 'Approved, the shop has not answered yet',
  done: 'Approved and done',
  failed: 'Approved, the shop refused',
};

/**
 * The approval queue (`GET /action-approvals`): actions on the shop the agent parked because the
 * shop wants a person to approve them. Approve or reject (`POST .../approve|reject`) asks the agent,
 * which carries the action out once and tells the customer. The agent tells the customer when it
 * parks one, so every live message reloads the list.
 */
export function ApprovalsPage() {
  const [status, setStatus] = useState<'awaiting' | 'decided'>('awaiting');
  const [list, setList] = useState<Approval[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const latest = useRef(latestOnly<Page<Approval>>()).current;
  const load = useCallback(
    () => latest(api<Page<Approval>>(`/action-approvals${query({ status, limit: 100 })}`), (page) => { setList(page.items); setError(null); }, (err) => setError(err.message)),
    [status],
  );
  useEffect(() => {
    background(load());
  }, [load]);
  useLive((event) => {
    if (event.type === 'message' || event.type === 'conversation') background(load());
  });

  return (
    <div class="approvals">
      <h1>Approvals</h1>
      <p class="muted">Actions on the shop the agent asked a person to approve. Approving carries the action out once; either way the customer is told on their channel.</p>
      <div class="tabs" role="radiogroup" aria-label="Show">
        <label class="inline"><input type="radio" name="approvals" checked={status === 'awaiting'} onChange={() => setStatus('awaiting')} /> Waiting</label>
        <label class="inline"><input type="radio" name="approvals" checked={status === 'decided'} onChange={() => setStatus('decided')} /> Decided</label>
      </div>
      <p role="status" data-approval-outcome>{outcome}</p>
      {error && <p class="error" role="alert">{error}</p>}
      {list && list.length === 0 && <p class="muted" data-approvals-empty>{status === 'awaiting' ? 'Nothing waiting for approval.' : 'Nothing decided yet.'}</p>}
      <ul class="plain" aria-label={status === 'awaiting' ? 'Waiting for approval' : 'Decided'}>
        {list?.map((a) => <ApprovalItem key={a.id} approval={a} onDecided={(text) => { setOutcome(text); background(load()); }} />)}
      </ul>
    </div>
  );
}

function ApprovalItem({ approval: a, onDecided }: { approval: Approval; onDecided: (outcome: string) => void }) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const label = ACTIONS[a.action] ?? a.action;

  const decide = async (verb: 'approve' | 'reject') => {
    setBusy(true);
    setError(null);
    try {
      const decided = await api<Approval & { customerTold: boolean }>(`/action-approvals/${a.id}/${verb}`, { method: 'POST', body: note.trim() ? { note: note.trim() } : {} });
      const order = typeof a.request.order === 'string' ? ` ${a.request.order}` : '';
      const told = decided.customerTold ? 'the customer was told' : 'the customer could not be told on their channel';
      onDecided(`${label}${order}: ${STATES[decided.status] ?? decided.status}; ${told}.`);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const noteId = `note-${a.id}`;
  return (
    <li class="approval" data-approval={a.id} data-approval-status={a.status}>
      <h2>{label} <span class="muted">{typeof a.request.order === 'string' ? a.request.order : ''}</span></h2>
      <p class="muted">
        {STATES[a.status] ?? a.status} · asked <time dateTime={a.createdAt} title={dateTime(a.createdAt)}>{ago(a.createdAt)}</time> · {a.backendId} ·{' '}
        <a {...linkTo(`/inbox/${a.conversationId}`)}>the conversation</a>
      </p>
      <details>
        <summary>What the customer confirmed</summary>
        <pre>{JSON.stringify(a.request, null, 2)}</pre>
      </details>
      {a.result && (
        <details>
          <summary>What the shop answered</summary>
          <pre>{JSON.stringify(a.result, null, 2)}</pre>
        </details>
      )}
      {a.decisionNote && <p>Note: {a.decisionNote}</p>}
      {a.status === 'awaiting_approval' && (
        <div class="actions" role="group" aria-label={`Decide: ${label}`}>
          <label for={noteId} class="visually-hidden">Note for the team (not sent to the customer)</label>
          <textarea id={noteId} rows={1} placeholder="Note for the team (optional, not sent to the customer)" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          <button type="button" disabled={busy} onClick={() => background(decide('approve'))}>Approve</button>
          <button type="button" class="secondary" disabled={busy} onClick={() => background(decide('reject'))}>Reject</button>
        </div>
      )}
      {error && <p class="error" role="alert">{error}</p>}
    </li>
  );
}
