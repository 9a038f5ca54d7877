import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// The real n8n app, installed once into a git-ignored side folder and reused by later runs.

export const N8N_VERSION = '2.8.4';
export const ROOT = resolve(__dirname, '../..');
export const N8N_DIR = join(ROOT, '.e2e', 'n8n');
const N8N_BIN = join(N8N_DIR, 'node_modules', 'n8n', 'bin', 'n8n');

const N8N_PACKAGE_JSON = {
	name: 'feishu-approval-e2e-n8n',
	private: true,
	description: 'The real n8n app for npm run test:e2e (git-ignored, reused while the version matches).',
	dependencies: { n8n: N8N_VERSION },
	// n8n-nodes-base depends on xlsx by a link outside the npm registry; 0.18.5 is its last
	// release on the registry [seen: npm view xlsx].
	overrides: { xlsx: '0.18.5' },
};

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

export function installedN8nVersion(): string | undefined {
	const file = join(N8N_DIR, 'node_modules', 'n8n', 'package.json');
	if (!existsSync(file) || !existsSync(N8N_BIN)) return undefined;
	return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** Installs n8n into .e2e/n8n unless that exact version is already there. Throws when it cannot. */
export async function ensureN8n(): Promise<{ cached: boolean; ms: number }> {
	const started = Date.now();
	if (installedN8nVersion() === N8N_VERSION) return { cached: true, ms: Date.now() - started };
	mkdirSync(N8N_DIR, { recursive: true });
	writeFileSync(join(N8N_DIR, 'package.json'), `${JSON.stringify(N8N_PACKAGE_JSON, null, 2)}\n`);
	console.log(`Installing n8n@${N8N_VERSION} into ${N8N_DIR} (first run only; takes a few minutes)…`);
	const result = await runCommand('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: N8N_DIR, timeoutMs: 1_800_000, echo: true });
	const version = installedN8nVersion();
	if (result.code !== 0 || version !== N8N_VERSION) {
		throw new Error(`npm install n8n@${N8N_VERSION} failed (exit ${result.code}, installed ${version ?? 'nothing'}):\n${result.stderr.slice(-3000)}`);
	}
	return { cached: false, ms: Date.now() - started };
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

export async function n8n(userFolder: string, args: string[], timeoutMs = 180_000): Promise<CommandResult> {
	return await runCommand(process.execPath, [N8N_BIN, ...args], { cwd: userFolder, env: n8nEnv(userFolder), timeoutMs });
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
