import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { claimDataDir, dataDirOwner } from './data-dir-lock';
import { openDataSource } from './data-source';

/** A live process other than this one, recorded as DATA_DIR's owner the way the embedded server records itself. */
function otherProcessHolding(dataDir: string): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  fs.writeFileSync(path.join(dataDir, 'server.json'), JSON.stringify({ pid: child.pid, url: 'http://localhost:3999', startedAt: new Date().toISOString() }));
  return child;
}

describe('one process per PGlite DATA_DIR', () => {
  let dataDir: string;
  let child: ChildProcess | undefined;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(tmpdir(), 'cs-datadir-lock-'));
  });
  afterEach(() => {
    child?.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('names the running server that holds DATA_DIR, and refuses to claim or open it', async () => {
    child = otherProcessHolding(dataDir);
    expect(dataDirOwner(dataDir)).toMatchObject({ pid: child.pid, url: 'http://localhost:3999' });
    expect(() => claimDataDir(dataDir)).toThrow(new RegExp(`in use by the process ${child.pid} \\(http://localhost:3999\\)`));
    await expect(openDataSource({ dataDir })).rejects.toThrow(/held by the embedded server .*http:\/\/localhost:3999/);
    // Refused before PGlite wrote anything.
    expect(fs.existsSync(path.join(dataDir, 'pg'))).toBe(false);
  });

  it('ignores the record of a server that died, and takes DATA_DIR over', async () => {
    child = otherProcessHolding(dataDir);
    const pid = child.pid;
    child.kill('SIGKILL');
    await new Promise((resolve) => child?.once('exit', resolve));
    expect(dataDirOwner(dataDir)).toBeNull();
    claimDataDir(dataDir, 'http://localhost:4000');
    const record = JSON.parse(fs.readFileSync(path.join(dataDir, 'server.json'), 'utf8')) as { pid: number; url: string };
    expect(record).toMatchObject({ pid: process.pid, url: 'http://localhost:4000' });
    expect(record.pid).not.toBe(pid);
    // Its own record does not stop the claiming process from opening the database.
    expect(dataDirOwner(dataDir)).toBeNull();
  });
});
