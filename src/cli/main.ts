import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const HELP = `initlab ${pkg.version} — scaling and initialization of ReLU networks

Usage: initlab <command> [options]

Commands:
  run          run the main job on the embedded default
  doctor       report backends, the WebGL renderer, what 'auto' picks, GPU/CPU agreement
  --help       show this help
  --version    print the version
`;

export async function main(argv: string[]): Promise<number> {
  const [cmd] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (cmd === '--version' || cmd === '-v') {
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  if (cmd === 'doctor') {
    return (await import('./doctor.js')).doctor();
  }
  process.stderr.write(`initlab: unknown command ${JSON.stringify(cmd)}\n\n${HELP}`);
  return 2;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('main.ts')) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
