import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { N8N_DIR, n8nEnv } from '../e2e/n8nApp';

// `n8n start`, the real editor and REST API, for the screenshots. The CLI commands of the e2e
// tests (import, execute) need no server; this one does.

const N8N_BIN = join(N8N_DIR, 'node_modules', 'n8n', 'bin', 'n8n');

export const OWNER = { email: 'owner@example.com', firstName: 'Ada', lastName: 'Owner', password: 'Screenshots-2026' };

export interface N8nServer {
	url: string;
	/** The server's output so far, for the error message when something goes wrong. */
	log: () => string;
	stop: () => Promise<void>;
}

/** A port nobody listens on now: the OS picks it, we release it and hand it to n8n. */
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

export async function startN8n(userFolder: string, timeoutMs = 180_000): Promise<N8nServer> {
	const port = await freePort();
	// The task runner broker listens on 5679 by default: another n8n on this machine would clash.
	const brokerPort = await freePort();
	const env: NodeJS.ProcessEnv = {
		...n8nEnv(userFolder),
		N8N_PORT: String(port),
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		// Plain http on loopback: a secure cookie would never come back.
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_LOG_LEVEL: 'warn',
	};
	const child: ChildProcess = spawn(process.execPath, [N8N_BIN, 'start'], { cwd: userFolder, env, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));

	const url = `http://127.0.0.1:${port}`;
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		child.kill('SIGTERM');
		// n8n shuts down gracefully (waits for executions); do not wait forever for it.
		const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
		await exited;
		clearTimeout(timer);
	};

	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`n8n start exited with ${child.exitCode}:\n${output.slice(-3000)}`);
		try {
			// /healthz answers as soon as the HTTP server listens; the REST API comes a little later,
			// and setUpOwner waits for it.
			const health = await fetch(`${url}/healthz`);
			if (health.ok) break;
		} catch {
			// Not listening yet.
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`n8n did not answer on ${url} within ${timeoutMs / 1000} s:\n${output.slice(-3000)}`);
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	return { url, log: () => output, stop };
}

/** The first user of a fresh n8n becomes the owner; without one the editor only shows the setup form. */
export async function setUpOwner(url: string, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const response = await fetch(`${url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		if (response.ok) return;
		// n8n answers /healthz and /rest/settings a moment before it has mounted every controller [seen: 404].
		if (response.status !== 404 || Date.now() > deadline) {
			throw new Error(`POST /rest/owner/setup answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
		}
		await new Promise((r) => setTimeout(r, 500));
	}
}
