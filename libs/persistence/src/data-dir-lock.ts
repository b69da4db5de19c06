import * as fs from 'fs';
import * as path from 'path';

/**
 * PGlite is one process's database: a second process opening the same DATA_DIR (the CLI while
 * `npm start` runs) would write the same files underneath the first. The embedded server records
 * itself in `DATA_DIR/server.json`; the CLI reads it and refuses, saying where the server is.
 */
export interface DataDirOwner {
  pid: number;
  url: string | null;
  startedAt: string;
}

const FILE = 'server.json';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, run by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live process that holds this DATA_DIR, if any (a record left by a process that died is ignored). */
export function dataDirOwner(dataDir: string): DataDirOwner | null {
  try {
    const owner = JSON.parse(fs.readFileSync(path.resolve(dataDir, FILE), 'utf8')) as DataDirOwner;
    return Number.isInteger(owner.pid) && owner.pid !== process.pid && alive(owner.pid) ? owner : null;
  } catch {
    return null;
  }
}

/**
 * Records this process as DATA_DIR's owner (again with its URL once listening), removed when the
 * process exits. Throws when another live process holds it.
 */
export function claimDataDir(dataDir: string, url: string | null = null): void {
  const other = dataDirOwner(dataDir);
  if (other) throw new Error(`${path.resolve(dataDir)} is in use by the process ${other.pid}${other.url ? ` (${other.url})` : ''}: PGlite serves one process; stop it or set another DATA_DIR`);
  const file = path.resolve(dataDir, FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const owner: DataDirOwner = { pid: process.pid, url, startedAt: new Date().toISOString() };
  fs.writeFileSync(file, JSON.stringify(owner));
  process.once('exit', () => {
    if (dataDirOwner(dataDir) === null) fs.rmSync(file, { force: true });
  });
}
