import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * The admin command line: `pnpm trellis pack list | install <id|file> [--sample] [--name <name>] |
 * export <appId> [--records] | upgrade <appId> <id|file> [--apply] [--resolve <path>=mine|theirs]…`.
 * It talks to a running server over HTTP: TRELLIS_URL (default http://127.0.0.1:$PORT), signed in
 * with TRELLIS_TOKEN, or TRELLIS_EMAIL and TRELLIS_PASSWORD (default: the first administrator's
 * TRELLIS_ADMIN_EMAIL and TRELLIS_ADMIN_PASSWORD); flags --url, --token, --email, --password win.
 */

const USAGE = `usage: trellis pack list
       trellis pack install <packId|file.json> [--sample] [--name <app name>]
       trellis pack export <appId> [--records] > file.json
       trellis pack upgrade <appId> <packId|file.json> [--apply] [--resolve <path>=mine|theirs]...
options: --url <server> --token <token> | --email <e-mail> --password <password>
         (or TRELLIS_URL, TRELLIS_TOKEN, TRELLIS_EMAIL, TRELLIS_PASSWORD)`;

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

class CliError extends Error {}

interface Args {
  words: string[];
  flags: Map<string, string[]>;
}

const VALUE_FLAGS = new Set(['url', 'token', 'email', 'password', 'name', 'resolve']);
const BOOLEAN_FLAGS = new Set(['sample', 'records', 'apply', 'help']);

function parse(argv: string[]): Args {
  const words: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      words.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (BOOLEAN_FLAGS.has(name)) flags.set(name, ['true']);
    else if (VALUE_FLAGS.has(name)) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new CliError(`--${name} needs a value`);
      flags.set(name, [...(flags.get(name) ?? []), value]);
    } else throw new CliError(`unknown option --${name}`);
  }
  return { words, flags };
}

/** A server client signed in once, lazily. */
function client(args: Args, env: NodeJS.ProcessEnv) {
  const flag = (n: string) => args.flags.get(n)?.at(-1);
  const base = (flag('url') ?? env.TRELLIS_URL ?? `http://127.0.0.1:${env.PORT ?? 3000}`).replace(/\/+$/, '');
  let token = flag('token') ?? env.TRELLIS_TOKEN ?? null;

  const send = async (method: string, path: string, body?: unknown, auth = true): Promise<unknown> => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth) headers.authorization = `Bearer ${await signIn()}`;
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (e) {
      throw new CliError(`cannot reach ${base}: ${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)}`);
    }
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : null;
    if (!res.ok) {
      const error = (json as { error?: { code?: string; message?: string; details?: { problems?: { path: string; message: string }[] } } } | null)?.error;
      const problems = (error?.details?.problems ?? []).slice(0, 20).map((p) => `\n  ${p.path}: ${p.message}`).join('');
      throw new CliError(`${method} ${path}: ${res.status} ${error?.code ?? ''} ${error?.message ?? text}${problems}`);
    }
    return json;
  };

  async function signIn(): Promise<string> {
    if (token) return token;
    const email = flag('email') ?? env.TRELLIS_EMAIL ?? env.TRELLIS_ADMIN_EMAIL ?? 'admin@localhost';
    const password = flag('password') ?? env.TRELLIS_PASSWORD ?? env.TRELLIS_ADMIN_PASSWORD;
    if (!password) throw new CliError('sign-in needed: set TRELLIS_TOKEN, or TRELLIS_EMAIL and TRELLIS_PASSWORD (or pass --token / --email --password)');
    token = ((await send('POST', '/api/auth/login', { username: email, password }, false)) as { token: string }).token;
    return token;
  }

  return { send };
}

/** A pack given as a file path (anything that exists, or ends in .json), else null for a bundled pack id. */
function packFile(arg: string): Record<string, unknown> | null {
  if (!existsSync(arg) && !arg.endsWith('.json')) return null;
  if (!existsSync(arg)) throw new CliError(`no such file: ${arg}`);
  try {
    return JSON.parse(readFileSync(arg, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new CliError(`${arg} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Runs one command; answers the exit code. */
export async function run(argv: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  try {
    const args = parse(argv);
    const [group, command, ...rest] = args.words;
    if (args.flags.has('help') || group !== 'pack' || !command) {
      io.err(USAGE);
      return args.flags.has('help') ? 0 : 2;
    }
    const { send } = client(args, env);
    const need = (n: number) => {
      if (rest.length !== n) throw new CliError(`pack ${command} takes ${n} argument(s)\n${USAGE}`);
    };
    switch (command) {
      case 'list': {
        need(0);
        const { items } = (await send('GET', '/api/packs')) as { items: { id: string; version: string; category: string; name: { en: string; zh: string }; forms: number; records: number }[] };
        for (const p of items) io.out(`${p.id}\t${p.version}\t${p.category}\t${p.name.en} / ${p.name.zh}\t${p.forms} forms, ${p.records} sample records`);
        return 0;
      }
      case 'install': {
        need(1);
        const name = args.flags.get('name')?.at(-1);
        const sample = args.flags.has('sample');
        const file = packFile(rest[0]!);
        let app: unknown;
        if (file) {
          // an imported pack brings its records; without --sample they stay behind
          const { records: _records, ...withoutRecords } = file;
          app = await send('POST', `/api/packs/import${name ? `?name=${encodeURIComponent(name)}` : ''}`, sample ? file : withoutRecords);
        } else {
          app = await send('POST', `/api/packs/${encodeURIComponent(rest[0]!)}/install`, { withSampleData: sample, ...(name ? { name } : {}) });
        }
        io.out(JSON.stringify(app, null, 2));
        return 0;
      }
      case 'export': {
        need(1);
        const pack = await send('GET', `/api/apps/${encodeURIComponent(rest[0]!)}/export${args.flags.has('records') ? '?records=true' : ''}`);
        io.out(JSON.stringify(pack, null, 2));
        return 0;
      }
      case 'upgrade': {
        need(2);
        const resolutions: Record<string, string> = {};
        for (const r of args.flags.get('resolve') ?? []) {
          const at = r.lastIndexOf('=');
          const choice = r.slice(at + 1);
          if (at <= 0 || (choice !== 'mine' && choice !== 'theirs')) throw new CliError(`--resolve takes <path>=mine or <path>=theirs, not "${r}"`);
          resolutions[r.slice(0, at)] = choice;
        }
        const file = packFile(rest[1]!);
        const body = { ...(file ? { pack: file } : { packId: rest[1] }), resolutions, apply: args.flags.has('apply') };
        io.out(JSON.stringify(await send('POST', `/api/apps/${encodeURIComponent(rest[0]!)}/upgrade`, body), null, 2));
        return 0;
      }
      default:
        throw new CliError(`unknown command "pack ${command}"\n${USAGE}`);
    }
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    io.err(`trellis: ${e.message}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run(process.argv.slice(2), process.env, { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((e: unknown) => {
      process.stderr.write(`trellis: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      process.exitCode = 1;
    });
}
