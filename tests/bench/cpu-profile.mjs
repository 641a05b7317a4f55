// Preload for a server under `pnpm bench` with BENCH_CPU_PROF_DIR: Node 20 refuses --cpu-prof in
// NODE_OPTIONS, so this starts the V8 profiler itself and writes the profile when the server is
// told to stop (SIGTERM/SIGINT), before the server's own handler closes it.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import process from 'node:process';

const file = process.env.TRELLIS_CPU_PROFILE;
if (file) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    // a session in the same thread answers synchronously
    session.post('Profiler.stop', (err, res) => {
      if (!err) writeFileSync(file, JSON.stringify(res.profile));
    });
  };
  process.once('SIGTERM', write);
  process.once('SIGINT', write);
  process.once('exit', write);
}
