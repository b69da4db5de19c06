import { useEffect, useState } from 'preact/hooks';
import { api, background, type Page } from '../api';

export interface CannedResponse {
  id: string;
  shortcut: string;
  title: string;
  body: string;
}

/** Inserts a canned response, filled for this conversation by the API (`GET /conversations/:id/canned-responses/:cannedId`). */
export function CannedPicker({ conversationId, onInsert }: { conversationId: string; onInsert: (text: string) => void }) {
  const [responses, setResponses] = useState<CannedResponse[]>([]);
  const [warning, setWarning] = useState<string | null>(null);

  useEffect(() => {
    api<Page<CannedResponse>>('/canned-responses?limit=100').then((page) => setResponses(page.items), (err: Error) => setWarning(err.message));
  }, []);

  const insert = async (cannedId: string) => {
    setWarning(null);
    try {
      const filled = await api<{ text: string; missing: string[] }>(`/conversations/${conversationId}/canned-responses/${cannedId}`);
      onInsert(filled.text);
      if (filled.missing.length) setWarning(`No value for ${filled.missing.map((m) => `{{${m}}}`).join(', ')}: check the text before sending.`);
    } catch (err) {
      setWarning((err as Error).message);
    }
  };

  if (!responses.length && !warning) return null;
  return (
    <div class="canned">
      <label>
        Insert a canned response
        <select
          value=""
          onChange={(e) => {
            const id = e.currentTarget.value;
            e.currentTarget.value = '';
            if (id) background(insert(id));
          }}
        >
          <option value="">Choose…</option>
          {responses.map((r) => (
            <option key={r.id} value={r.id}>/{r.shortcut} · {r.title}</option>
          ))}
        </select>
      </label>
      {warning && <p class="muted" role="status" data-canned-warning>{warning}</p>}
    </div>
  );
}
