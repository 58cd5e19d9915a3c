#!/usr/bin/env node
/**
 * The `authkit-session-mfa` command (the package's bin; Node-only, never imported by the library's runtime
 * entry points). One command today:
 *
 *   authkit-session-mfa coverage [dir] [--require <pattern>…] [--config <file>] [--manifest <file> | --no-manifest] [--json]
 *
 * Exit codes: 0 report written, every required entry guarded and the build cross-check passed;
 * 1 a required entry is unguarded or unknown, or the build has a server action the scan did not find;
 * 2 usage or configuration error (nothing reported); 3 internal error (a bug: please report it).
 */
import { main } from './coverage/command';

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
