/**
 * What a file is, from its first bytes rather than from what the sender claimed: a customer's
 * "photo.jpg" that is really HTML must not be shown inline by our own origin.
 */
const SIGNATURES: { type: string; test: (b: Buffer) => boolean }[] = [
  { type: 'image/png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/gif', test: (b) => /^GIF8[79]a/.test(b.subarray(0, 6).toString('latin1')) },
  { type: 'image/webp', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  { type: 'application/pdf', test: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
];

/** The types a customer may upload in the widget: pictures and PDFs. */
export const UPLOAD_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'];

/** The recognised type of these bytes, or null. */
export function sniffType(body: Buffer): string | null {
  return SIGNATURES.find((s) => s.test(body))?.type ?? null;
}

/**
 * How a stored file is handed to a browser: pictures and PDFs whose bytes are what they claim are
 * shown inline with their type; anything else is a download of opaque bytes, never rendered.
 */
export function servedAs(sniffedType: string | null): { contentType: string; disposition: 'inline' | 'attachment' } {
  if (sniffedType && UPLOAD_TYPES.includes(sniffedType)) return { contentType: sniffedType, disposition: 'inline' };
  return { contentType: 'application/octet-stream', disposition: 'attachment' };
}
