import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CONFIG_VARIABLES, configSecrets, parseConfig, type Env } from '../../src/config/config.js';
import { parseDuration } from '../../src/util/duration.js';

// Docker cannot run where these tests run, so the Dockerfile and compose.yaml are checked by
// reading them: what they set must be what the bot reads, and what they run must be the build.

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const defaults = parseConfig({});

/** Environment variables the image may set although the configuration does not read them. */
const NOT_CONFIG: Record<string, string> = {
  NODE_ENV: 'read by libraries and by npm (production: no devDependencies), not by the bot',
};

/** A notifier's request timeout (SlackNotifier, DiscordNotifier): a delivery's longest step. */
const NOTIFIER_TIMEOUT_MS = 10_000;

// ---- Dockerfile ------------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Stages and their instructions, continuation lines joined, comments dropped, FROM's ARGs resolved. */
function parseDockerfile(text: string): { globalArgs: Map<string, string>; stages: Stage[] } {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    if (/^\s*#/.test(raw)) continue;
    const continued = /\\\s*$/.test(raw);
    pending += continued ? raw.replace(/\\\s*$/, ' ') : raw;
    if (!continued) {
      if (pending.trim()) lines.push(pending.trim());
      pending = '';
    }
  }
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = '', args = ''] = /^(\S+)\s*([\s\S]*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args };
    if (instruction.keyword === 'FROM') {
      const resolved = args.replace(
        /\$\{?(\w+)\}?/g,
        (_, name: string) => globalArgs.get(name) ?? '',
      );
      const [, image = '', name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(resolved) ?? [];
      stages.push({ image, name, instructions: [] });
    } else if (stages.length === 0 && instruction.keyword === 'ARG') {
      const [name = '', value = ''] = args.split('=');
      globalArgs.set(name, value);
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

const all = (stage: Stage, keyword: string) =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

/** `ENV A=1 B="two words"` or the old `ENV A 1`. */
function envOf(args: string): Map<string, string> {
  const legacy = /^(\w+)\s+([^=]*)$/.exec(args);
  if (legacy) return new Map([[legacy[1]!, legacy[2]!.trim()]]);
  const pairs = args.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g);
  return new Map(
    [...pairs].map(([, name, value]) => [name!, value!.replace(/^(["'])(.*)\1$/, '$2')]),
  );
}

/** `--flag=value` options first, then the rest (the command, or COPY's paths). */
function splitFlags(args: string): { flags: Map<string, string>; rest: string } {
  const flags = new Map<string, string>();
  let rest = args.trim();
  let flag;
  while ((flag = /^--([\w-]+)(?:=(\S*))?\s*/.exec(rest))) {
    flags.set(flag[1]!, flag[2] ?? '');
    rest = rest.slice(flag[0].length);
  }
  return { flags, rest };
}

const execForm = (text: string): unknown => (text.trim().startsWith('[') ? JSON.parse(text) : text);

/** Whether `.dockerignore` leaves `path` out of the build context (last matching pattern wins). */
function ignoredByDocker(path: string, patterns: string[]): boolean {
  const parents = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).replace(/^\/+|\/+$/g, '');
    const regex = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*\/|\*\*|\*|\?/g, (glob) =>
          glob === '**/' ? '(?:.*/)?' : glob === '**' ? '.*' : glob === '*' ? '[^/]*' : '[^/]',
        )}$`,
    );
    if (parents.some((parent) => regex.test(parent))) ignored = !negated;
  }
  return ignored;
}

// ---- compose.yaml ----------------------------------------------------------------------------

/** Compose's interpolation as it comes out with no `.env` and no variable set in the shell. */
function interpolate(text: string): string {
  return text.replace(
    /\$\$|\$\{(\w+)(?:(:?[-?+])([^}]*))?\}|\$(\w+)/g,
    (match, name?: string, operator?: string, operand?: string) => {
      if (match === '$$') return '$';
      if (operator?.endsWith('?')) throw new Error(`compose.yaml requires ${name}: ${operand}`);
      return operator?.endsWith('-') ? (operand ?? '') : '';
    },
  );
}

function interpolateAll(value: unknown): unknown {
  if (typeof value === 'string') return interpolate(value);
  if (Array.isArray(value)) return value.map(interpolateAll);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v)]));
  }
  return value;
}

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const service = z.looseObject({
  image: z.string().optional(),
  build: z.union([z.string(), z.looseObject({ context: z.string() })]).optional(),
  command: z.union([z.string(), z.array(z.string())]).optional(),
  environment: z.union([z.record(z.string(), scalar), z.array(z.string())]).optional(),
  env_file: z
    .array(z.union([z.string(), z.object({ path: z.string(), required: z.boolean().optional() })]))
    .optional(),
  depends_on: z.record(z.string(), z.looseObject({ condition: z.string() })).optional(),
  restart: z.string().optional(),
  stop_grace_period: z.string().optional(),
  healthcheck: z
    .looseObject({ test: z.union([z.string(), z.array(z.string())]).optional() })
    .optional(),
  volumes: z
    .array(z.union([z.string(), z.looseObject({ source: z.string(), target: z.string() })]))
    .optional(),
  ports: z.array(z.union([z.string(), z.number()])).optional(),
});
type Service = z.infer<typeof service>;
const composeFile = z.looseObject({
  services: z.record(z.string(), service),
  volumes: z.record(z.string(), z.unknown()).optional(),
});

function environmentOf(svc: Service): Env {
  const entries = Array.isArray(svc.environment)
    ? svc.environment.map((item) => {
        const [name = '', ...value] = item.split('=');
        return [name, value.length > 0 ? value.join('=') : undefined] as const;
      })
    : Object.entries(svc.environment ?? {}).map(
        ([name, value]) => [name, value === null ? undefined : String(value)] as const,
      );
  return Object.fromEntries(entries);
}

const rawCompose = read('compose.yaml');
const compose = composeFile.parse(interpolateAll(parseYaml(rawCompose, { merge: true })));
const botServices = Object.entries(compose.services).filter(([, svc]) => svc.build !== undefined);
const dockerfileText = read('Dockerfile');
const dockerfile = parseDockerfile(dockerfileText);
const runtime = dockerfile.stages.at(-1)!;
const dockerignore = read('.dockerignore')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

describe('Dockerfile', () => {
  it('sets only environment variables the configuration reads, or ones listed with a reason', () => {
    const names = dockerfile.stages.flatMap((stage) =>
      all(stage, 'ENV').flatMap((args) => [...envOf(args).keys()]),
    );
    expect(names).toContain('NODE_ENV');
    for (const name of names)
      expect([...CONFIG_VARIABLES, ...Object.keys(NOT_CONFIG)]).toContain(name);
  });

  it('runs what `npm start` runs, as an exec-form command with nothing wrapped around it', () => {
    const pkg = z
      .object({ scripts: z.object({ start: z.string() }) })
      .parse(JSON.parse(read('package.json')));
    const cmd = all(runtime, 'CMD');
    expect(cmd).toHaveLength(1);
    expect(execForm(cmd[0]!)).toEqual(pkg.scripts.start.split(/\s+/));
    expect(dockerfile.stages.flatMap((stage) => all(stage, 'ENTRYPOINT'))).toEqual([]);
    // dist/ is what `npm run build` (the script `prepare` runs) produces in the build stage.
    const build = dockerfile.stages.find((stage) =>
      all(stage, 'RUN').some((run) => run.includes('npm run build')),
    );
    expect(build?.name).toBeDefined();
    const fromBuild = all(runtime, 'COPY')
      .map(splitFlags)
      .filter(({ flags }) => flags.get('from') === build?.name);
    expect(fromBuild.map(({ rest }) => rest.split(/\s+/).at(-1))).toContain('./dist');
    expect(
      existsSync(
        new URL(pkg.scripts.start.split(/\s+/)[1]!.replace(/^dist\/(.*)\.js$/, '$1.ts'), root),
      ),
    ).toBe(true);
  });

  it('builds on a Node.js version package.json accepts, in every stage', () => {
    const engines = z.object({ engines: z.object({ node: z.string() }) });
    const wanted = engines.parse(JSON.parse(read('package.json'))).engines.node;
    const [, minimum = ''] = /^>=\s*(\d+)/.exec(wanted) ?? [];
    for (const stage of dockerfile.stages) {
      const [, major = ''] = /^node:(\d+)\b/.exec(stage.image) ?? [];
      expect(Number(major), stage.image).toBeGreaterThanOrEqual(Number(minimum));
    }
  });

  it('installs production dependencies only in the image it ships, and runs it as a non-root user', () => {
    const installs = all(runtime, 'RUN')
      .map((run) => splitFlags(run).rest)
      .filter((run) => /npm (ci|install|i)\b/.test(run));
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) expect(install).toMatch(/--omit=dev\b/);
    // Nothing installed elsewhere (with devDependencies) is carried over.
    for (const copy of all(runtime, 'COPY')) expect(copy).not.toMatch(/node_modules/);
    const user = all(runtime, 'USER').at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it('checks health on /healthz at the port the bot listens on, without curl or wget', () => {
    const healthchecks = all(runtime, 'HEALTHCHECK');
    expect(healthchecks).toHaveLength(1);
    const [, command = ''] = /\bCMD\s+([\s\S]+)$/.exec(healthchecks[0]!) ?? [];
    const argv = execForm(command);
    expect(Array.isArray(argv) && argv[0]).toBe('node');
    expect(command).toContain('/healthz');
    expect(command).toContain(`process.env.PORT||${defaults.port}`);
    expect(command).not.toMatch(/\b(curl|wget)\b/);
    expect(all(runtime, 'EXPOSE').join(' ').split(/\s+/)).toContain(String(defaults.port));
  });

  it('copies only files that exist and that .dockerignore leaves in the build context', () => {
    const copied = dockerfile.stages
      .flatMap((stage) => all(stage, 'COPY').map(splitFlags))
      .filter(({ flags }) => !flags.has('from'))
      .flatMap(({ rest }) => rest.split(/\s+/).slice(0, -1));
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'src']));
    for (const path of copied) {
      expect(existsSync(new URL(path, root)), path).toBe(true);
      expect(ignoredByDocker(path, dockerignore), path).toBe(false);
    }
    expect(ignoredByDocker('src/main.ts', dockerignore)).toBe(false);
    for (const path of [
      '.env',
      'src/.env',
      '.git/HEAD',
      'node_modules/yaml/package.json',
      'dist/src/main.js',
      'test/fixtures/board-list.html',
    ]) {
      expect(ignoredByDocker(path, dockerignore), path).toBe(true);
    }
  });

  it('bakes in no secret', () => {
    const set: Array<[string, string | undefined]> = [...dockerfile.globalArgs];
    for (const stage of dockerfile.stages) {
      for (const args of all(stage, 'ENV')) set.push(...envOf(args));
      for (const args of all(stage, 'ARG')) set.push([args.split('=')[0]!, args.split('=')[1]]);
    }
    for (const [name] of set) expect(name).not.toMatch(/TOKEN|SECRET|PASSWORD|KEY/);
    expect(configSecrets(Object.fromEntries(set)).values).toEqual([]);
    expectNoTokenLike(dockerfileText);
  });
});

describe('compose.yaml', () => {
  it('runs Redis with an append-only file, noeviction, a named volume on /data and a health check', () => {
    const redis = compose.services.redis!;
    const argv = Array.isArray(redis.command) ? redis.command : (redis.command ?? '').split(/\s+/);
    const option = (name: string) => argv[argv.indexOf(`--${name}`) + 1];
    expect(redis.image).toMatch(/^redis:7(\.|-|$)/);
    expect(option('appendonly')).toBe('yes');
    expect(option('maxmemory-policy')).toBe('noeviction');
    const dataVolume = (redis.volumes ?? [])
      .map((v) => (typeof v === 'string' ? v.split(':') : [v.source, v.target]))
      .find(([, target]) => target === '/data');
    expect(Object.keys(compose.volumes ?? {})).toContain(dataVolume?.[0]);
    expect([redis.healthcheck?.test ?? []].flat().join(' ')).toMatch(/redis-cli ping/);
    expect(redis.restart).toBe('unless-stopped');
  });

  it('runs every role, each restarted, given time to finish its jobs and started once Redis is healthy', () => {
    const roles = botServices.map(([, svc]) => parseConfig(environmentOf(svc)).role);
    const parts = ['scheduler', 'worker', 'web'] as const;
    expect(roles.includes('all') || parts.every((part) => roles.includes(part))).toBe(true);
    for (const [name, svc] of botServices) {
      expect(typeof svc.build === 'string' ? svc.build : svc.build?.context, name).toBe('.');
      expect(svc.restart, name).toMatch(/^(always|unless-stopped|on-failure)/);
      const grace = parseDuration(svc.stop_grace_period ?? '');
      expect(grace, name).toBeGreaterThan(defaults.fetchTimeoutMs + NOTIFIER_TIMEOUT_MS);
      expect(svc.depends_on?.redis?.condition, name).toBe('service_healthy');
      expect(svc.healthcheck, `${name} keeps the image's health check`).toBeUndefined();
    }
  });

  it('sets only variables the configuration reads, and each bot configuration parses', () => {
    for (const [name, svc] of botServices) {
      const env = environmentOf(svc);
      for (const variable of Object.keys(env))
        expect(CONFIG_VARIABLES, `${name}: ${variable}`).toContain(variable);
      const config = parseConfig(env);
      // Pinned, as they win over .env: one written for running outside the stack cannot point
      // a service at another Redis, role or port.
      for (const pinned of ['REDIS_URL', 'ROLE', 'HOST', 'PORT']) {
        expect(env[pinned], `${name}: ${pinned}`).toBeDefined();
      }
      expect(Object.keys(compose.services)).toContain(new URL(config.redisUrl).hostname);
      expect(config.host, name).toBe('0.0.0.0');
      const published = (svc.ports ?? []).map((port) =>
        String(port)
          .split(':')
          .at(-1)!
          .replace(/\/tcp$/, ''),
      );
      const serves = config.role === 'web' || config.role === 'all';
      expect(published, `${name}: ports`).toEqual(serves ? [String(config.port)] : []);
    }
  });

  it('takes secrets from an optional, git-ignored .env file and hard-codes none', () => {
    const gitignore = read('.gitignore')
      .split('\n')
      .map((line) => line.trim());
    for (const [name, svc] of botServices) {
      expect(svc.env_file, name).toBeDefined();
      for (const file of svc.env_file ?? []) {
        expect(
          typeof file === 'object' && file.required,
          `${name}: env_file works without the file`,
        ).toBe(false);
        const path = typeof file === 'string' ? file : file.path;
        expect(gitignore).toContain(path);
        expect(ignoredByDocker(path, dockerignore)).toBe(true);
      }
      expect(configSecrets(environmentOf(svc)).values, name).toEqual([]);
    }
    expectNoTokenLike(rawCompose);
  });
});

/** Slack and Discord tokens, long hex or base64 runs, and URLs with a password. */
function expectNoTokenLike(text: string): void {
  expect(text).not.toMatch(/\bxox[abposr]-|\bxapp-/);
  expect(text).not.toMatch(/[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,}/);
  expect(text).not.toMatch(/\b[0-9a-f]{32,}\b/i);
  expect(text).not.toMatch(/[A-Za-z0-9+/_-]{40,}/);
  expect(text).not.toMatch(/\b\w+:\/\/[^\s/@:]*:[^\s/@]+@/);
}
