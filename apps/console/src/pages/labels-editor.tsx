import { useState } from 'preact/hooks';
import { api, background, messageOf } from '../api';

/** A conversation's labels: `POST /conversations/:id/labels`, `DELETE /conversations/:id/labels/:label`. */
export function LabelsEditor({ conversationId, labels, onChanged }: { conversationId: string; labels: string[]; onChanged: () => void }) {
  const [label, setLabel] = useState('');
  const [error, setError] = useState<string | null>(null);

  const change = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      onChanged();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const add = (event: Event) => {
    event.preventDefault();
    background(change(async () => {
      await api(`/conversations/${conversationId}/labels`, { method: 'POST', body: { label } });
      setLabel('');
    }));
  };

  return (
    <div class="labels" data-labels>
      <ul class="label-list" aria-label="Labels">
        {labels.map((l) => (
          <li key={l} class="label-chip" data-label={l}>
            {l}
            <button type="button" class="secondary" aria-label={`Remove label ${l}`} onClick={() => background(change(() => api(`/conversations/${conversationId}/labels/${encodeURIComponent(l)}`, { method: 'DELETE' })))}>×</button>
          </li>
        ))}
      </ul>
      <form class="inline" onSubmit={add} aria-label="Add a label">
        <label>
          <span class="visually-hidden">New label</span>
          <input value={label} placeholder="Add a label" maxLength={40} size={12} required onInput={(e) => setLabel(e.currentTarget.value)} aria-label="New label" />
        </label>
        <button type="submit" class="secondary">Add label</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
    </div>
  );
}
