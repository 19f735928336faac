// The Python the tests drive Google's protobuf and websockets through.
import { execFileSync } from 'node:child_process';

/** A python3 that has Debian's python3-protobuf and python3-websockets: the one on PATH, else the system
 *  interpreter Debian installs them for (a PATH may put another Python first, pyenv's say). */
export function debianPython(): string {
  for (const py of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(py, ['-c', 'import google.protobuf, websockets'], { stdio: 'ignore' });
      return py;
    } catch { /* next */ }
  }
  throw new Error('no python3 with google.protobuf and websockets (Debian: python3-protobuf python3-websockets)');
}
