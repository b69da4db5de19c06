import { useEffect, useState } from 'preact/hooks';
import { api, background, messageOf } from '../api';

interface IntentList {
  items: { name: string }[];
  builtin: string[];
}

/**
 * Relabel a conversation's intent (issue 18): `POST /conversations/:id/intent`. Its customer
 * questions become training examples for the next retraining of the intent model.
 */
export function IntentRelabel({ conversationId, intent, onChanged }: { conversationId: string; intent: string | null; onChanged: () => void }) {
  const [names, setNames] = useState<string[]>([]);
  const [choice, setChoice] = useState(intent ?? '');
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    background(
      api<IntentList>('/intents').then((list) => setNames([...new Set([...list.items.map((i) => i.name), ...list.builtin])].sort()), (err) => setError(messageOf(err))),
    );
  }, []);
  useEffect(() => setChoice(intent ?? ''), [intent]);

  const relabel = (event: Event) => {
    event.preventDefault();
    setError(null);
    setNote(null);
    background(
      api<{ examples: unknown[] }>(`/conversations/${conversationId}/intent`, { method: 'POST', body: { intent: choice } }).then(
        (result) => {
          setNote(`Relabelled: ${result.examples.length} message${result.examples.length === 1 ? '' : 's'} will teach the next retraining.`);
          onChanged();
        },
        (err) => setError(messageOf(err)),
      ),
    );
  };

  return (
    <form class="inline" onSubmit={relabel} aria-label="Relabel the intent" data-intent-relabel>
      <label>
        <span class="visually-hidden">Intent</span>
        <select value={choice} required onChange={(e) => setChoice(e.currentTarget.value)} aria-label="Intent">
          <option value="" disabled>Choose the right intent</option>
          {names.map((name) => (
            <option key={name} value={name}>{name}</option>
          ))}
        </select>
      </label>
      <button type="submit" class="secondary" disabled={!choice || choice === intent}>Relabel</button>
      {note && <span class="muted" role="status">{note}</span>}
      {error && <p class="error" role="alert">{error}</p>}
    </form>
  );
}
