/**
 * Sockets of your session. The sandbox shows the file system read-only, but a read-only
 * mount does not stop connecting to a Unix socket on it: through the session bus in
 * `$XDG_RUNTIME_DIR` (`/run/user/<uid>/bus`) `systemd-run --user` starts any command
 * outside the sandbox, and the Docker socket starts a container with your files
 * mounted. `tools.network = false` does not cut them either (they are not network).
 * Inside the sandbox the runtime directory is an empty one, and container-engine
 * sockets are not sockets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic.js';
import { improve, improveRepo, runEnd } from '../improve/helpers.js';
import { chooseSandbox } from '../../src/core/tools/sandbox-probe.js';
import { expectNoSecretLeaked, hostileEnv, hostileModel } from './harness.js';

const runIt =
  chooseSandbox({ sandbox: 'auto', network: true }).mode === 'bwrap' ||
  process.env.CI !== undefined;

let fake: FakeAnthropic | undefined;
let server: Server | undefined;
let runtime: string | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  server?.close();
  server = undefined;
  if (runtime) rmSync(runtime, { recursive: true, force: true });
  runtime = undefined;
});

const CONNECT =
  "node -e \"require('net').connect(process.argv[1])" +
  ".on('connect',()=>{console.log('CONNECTED');process.exit(0)})" +
  ".on('error',e=>{console.log('refused',e.code);process.exit(0)})\"";

describe.skipIf(!runIt)('sandbox: the session runtime directory', () => {
  it.each([true, false])(
    'a socket in $XDG_RUNTIME_DIR cannot be reached (network %s)',
    async (network) => {
      // Outside /tmp: the sandbox's private /tmp would hide it anyway.
      runtime = mkdtempSync('/var/tmp/mmm-runtime-');
      const bus = join(runtime, 'bus');
      let connections = 0;
      server = createServer((socket) => {
        connections++;
        socket.end();
      });
      await new Promise<void>((done) => server!.listen(bus, done));
      const repo = improveRepo([{ id: 's1', title: 'Add a', checks: ['file_exists: a.txt'] }]);
      const model = hostileModel({
        hostile: {
          s1: [{ bash: `${CONNECT} ${bus}` }, { bash: `${CONNECT} "$XDG_RUNTIME_DIR/bus"` }],
        },
        honest: { s1: { path: 'a.txt', text: 'a\n' } },
      });
      fake = await startFakeAnthropic({ script: model.responder });
      const env = hostileEnv(fake.url, {
        XDG_RUNTIME_DIR: runtime,
        MMM_TOOLS__NETWORK: String(network),
      });
      const r = await improve(repo, [], env);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(runEnd(r.stdout).status).toBe('completed');
      const seen = model.toolResults.join('\n');
      expect(seen).toContain('refused');
      expect(seen).not.toContain('CONNECTED');
      expect(connections).toBe(0);
      expectNoSecretLeaked(repo, r, model.toolResults);
    },
  );
});
