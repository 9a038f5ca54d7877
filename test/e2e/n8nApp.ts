import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

// The real n8n app, installed once per version into a cache folder outside the clone (CI clones
// afresh every run; the cache folder survives where the machine's home does) and reused.

/** The versions users run: the current line, and the newest 1.x that installs on Node 20. */
export const N8N_VERSIONS = ['2.8.4', '1.123.50'] as const;
export const DEFAULT_N8N_VERSION = N8N_VERSIONS[0];
export const ROOT = resolve(__dirname, '../..');
const CACHE_DIR = process.env.E2E_N8N_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-feishu-approval', 'e2e');

export const n8nDir = (version: string): string => join(CACHE_DIR, `n8n-${version}`);
export const n8nBin = (version: string): string => join(n8nDir(version), 'node_modules', 'n8n', 'bin', 'n8n');
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
		child.on('close', (code) => {
			clearTimeout(timer);
			resolveRun({ code, stdout, stderr, ms: Date.now() - started });
		});
	});
}

export function installedN8nVersion(version: string): string | undefined {
	const file = join(n8nDir(version), 'node_modules', 'n8n', 'package.json');
	if (!existsSync(file) || !existsSync(n8nBin(version))) return undefined;
	return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** Installs n8n@version into its cache folder unless it is already there. Throws when it cannot. */
export async function ensureN8n(version: string): Promise<{ cached: boolean; ms: number; dir: string }> {
	const started = Date.now();
	const dir = n8nDir(version);
	if (installedN8nVersion(version) === version) return { cached: true, ms: Date.now() - started, dir };
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), `${JSON.stringify(n8nPackageJson(version), null, 2)}\n`);
	console.log(`Installing n8n@${version} into ${dir} (first run only; takes a few minutes)…`);
	const result = await runCommand('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, timeoutMs: 1_800_000, echo: true });
	const installed = installedN8nVersion(version);
	if (result.code !== 0 || installed !== version) {
		throw new Error(`npm install n8n@${version} failed (exit ${result.code}, installed ${installed ?? 'nothing'}):\n${result.stderr.slice(-3000)}`);
	}
	return { cached: false, ms: Date.now() - started, dir };
}

/** The environment of every n8n command: a throw-away user folder, nothing phoned home. */
export function n8nEnv(userFolder: string): NodeJS.ProcessEnv {
	return {
		PATH: process.env.PATH,
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

export async function n8n(version: string, userFolder: string, args: string[], timeoutMs = 180_000): Promise<CommandResult> {
	// `execute` starts a task runner broker, by default on port 5679: a free one, so that two runs
	// (another n8n on the machine, a second e2e) do not refuse each other.
	const env = { ...n8nEnv(userFolder), N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
	return await runCommand(process.execPath, [n8nBin(version), ...args], { cwd: userFolder, env, timeoutMs });
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
