import type { AttachmentStore, AttachmentView } from '@cs/storage';

type WithParts = { id: string; parts: unknown[] };

/**
 * Messages as a reader gets them: each with its `attachments` (name, type, size and a short-lived
 * signed link), and the link also on the part that names the file, so a client that only renders
 * parts (the widget) shows it. One query for the page, and none when no message has a file.
 */
export async function withFileLinks<M extends WithParts>(files: AttachmentStore, tenantId: string, messages: M[]): Promise<(M & { attachments: AttachmentView[] })[]> {
  const withFiles = messages.filter((m) => m.parts.some(attachmentIdOf));
  const views = await files.forMessages(
    tenantId,
    withFiles.map((m) => m.id),
  );
  const byMessage = new Map<string, AttachmentView[]>();
  for (const view of views) byMessage.set(view.messageId!, [...(byMessage.get(view.messageId!) ?? []), view]);
  return messages.map((m) => {
    const attachments = byMessage.get(m.id) ?? [];
    if (!attachments.length) return { ...m, attachments };
    const byId = new Map(attachments.map((a) => [a.id, a]));
    const parts = m.parts.map((p) => {
      const view = byId.get(attachmentIdOf(p) ?? '');
      return view ? { ...(p as object), url: view.url, name: view.name ?? undefined, size: view.size } : p;
    });
    return { ...m, parts, attachments };
  });
}

function attachmentIdOf(part: unknown): string | undefined {
  const id = (part as { attachmentId?: unknown } | null)?.attachmentId;
  return typeof id === 'string' ? id : undefined;
}
