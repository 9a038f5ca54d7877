import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';

import { freePort, n8nBin, n8nEnv, nodeFor } from './n8nApp';

// A long-lived n8n process as users run it: `n8n start` (the editor, webhooks, and the poll
// schedule of published workflows) or, in queue mode, `n8n worker`. The CLI commands of the e2e
// checks (import, execute) need no server.

export { freePort };

export interface N8nServer {
	url: string;
	/** Everything the process printed so far, stdout and stderr. */
	log: () => string;
	/** SIGTERM, as a deploy or `docker stop` sends; resolves once the process has exited. */
	stop: () => Promise<void>;
}

export interface StartOptions {
	/** Default `['start']`; `['worker']` for a queue-mode worker (no health wait). */
	command?: string[];
	/** Added to n8nEnv(userFolder) and the ports. */
	env?: NodeJS.ProcessEnv;
	timeoutMs?: number;
}

export async function startN8n(version: string, userFolder: string, options: StartOptions = {}): Promise<N8nServer> {
	const port = await freePort();
	const command = options.command ?? ['start'];
	const env: NodeJS.ProcessEnv = {
		...n8nEnv(userFolder, version),
		N8N_PORT: String(port),
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		// Plain http on loopback: a secure cookie would never come back.
		N8N_SECURE_COOKIE: 'false',
		// The task runner broker and the queue health check listen on fixed ports by default: another
		// n8n on this machine would clash.
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		QUEUE_HEALTH_CHECK_PORT: String(await freePort()),
		N8N_HIRING_BANNER_ENABLED: 'false',
		...options.env,
	};
	const child: ChildProcess = spawn(nodeFor(version), [n8nBin(version), ...command], { cwd: userFolder, env, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));

	const url = `http://127.0.0.1:${port}`;
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		child.kill('SIGTERM');
		// n8n shuts down gracefully (waits for executions); do not wait forever for it.
		const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
		await exited;
		clearTimeout(timer);
	};
	if (command[0] !== 'start') return { url, log: () => output, stop };

	const timeoutMs = options.timeoutMs ?? 180_000;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`n8n start exited with ${child.exitCode}:\n${output.slice(-3000)}`);
		try {
			// /healthz answers as soon as the HTTP server listens; published workflows are activated
			// during start-up, before it [seen: 2.8.4's Start command].
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
