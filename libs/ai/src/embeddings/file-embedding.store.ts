import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'fs';
import { dirname } from 'path';
import type { EmbeddingStore } from './embedding-cache';

/**
 * An append-only binary file of (key, vector) records, loaded whole at open. Meant for offline jobs
 * (evaluation, bulk re-indexing) on one machine; the running service stores vectors in the database.
 * Record: u16 key length, key (utf8), u32 dimensions, float32 little-endian values.
 */
export class FileEmbeddingStore implements EmbeddingStore {
  private readonly vectors = new Map<string, Float32Array>();

  constructor(private readonly file: string) {
    if (existsSync(file)) this.load(readFileSync(file));
  }

  get size(): number {
    return this.vectors.size;
  }

  async getMany(keys: string[]): Promise<(Float32Array | undefined)[]> {
    return keys.map((k) => this.vectors.get(k));
  }

  async setMany(entries: { key: string; vector: Float32Array }[]): Promise<void> {
    const parts: Buffer[] = [];
    for (const { key, vector } of entries) {
      if (this.vectors.has(key)) continue;
      this.vectors.set(key, vector);
      const keyBytes = Buffer.from(key, 'utf8');
      const head = Buffer.alloc(6 + keyBytes.length);
      head.writeUInt16LE(keyBytes.length, 0);
      keyBytes.copy(head, 2);
      head.writeUInt32LE(vector.length, 2 + keyBytes.length);
      parts.push(head, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
    }
    if (!parts.length) return;
    mkdirSync(dirname(this.file), { recursive: true });
    appendFileSync(this.file, Buffer.concat(parts));
  }

  private load(buf: Buffer): void {
    let at = 0;
    while (at + 6 <= buf.length) {
      const keyLength = buf.readUInt16LE(at);
      const dimsAt = at + 2 + keyLength;
      if (dimsAt + 4 > buf.length) break;
      const key = buf.toString('utf8', at + 2, dimsAt);
      const dims = buf.readUInt32LE(dimsAt);
      const end = dimsAt + 4 + dims * 4;
      if (end > buf.length) break; // a torn last record from an interrupted run
      const vector = new Float32Array(dims);
      for (let i = 0; i < dims; i++) vector[i] = buf.readFloatLE(dimsAt + 4 + i * 4);
      this.vectors.set(key, vector);
      at = end;
    }
  }
}
