import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runCommand } from './n8nApp';
import { freePort } from './n8nServer';

// What n8n's queue mode needs beside it: PostgreSQL and Redis from Debian's packages, each on a
// free loopback port with its data in a throw-away folder, stopped and removed by stop().

export interface QueueServices {
	postgres: { host: string; port: number; database: string; user: string; password: string };
	redis: { host: string; port: number };
	/** Stops both and removes their data; safe to call twice, never throws. */
	stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const DATABASE = 'n8n';
// Not a secret: the cluster lives a few minutes on loopback with trust authentication.
const PG_USER = 'postgres';
const PG_PASSWORD = 'n8n-e2e';

const isRoot = () => process.getuid?.() === 0;

function postgresBin(): string | undefined {
	const base = '/usr/lib/postgresql';
	if (!existsSync(base)) return undefined;
	const versions = readdirSync(base)
		.filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? join(base, versions[0], 'bin') : undefined;
}

const redisBin = (): string | undefined => ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));

/** apt-get installs what is missing (redis-server, postgresql); a no-op when both are there. */
export async function ensureQueuePackages(): Promise<{ installed: string[]; ms: number }> {
	const started = Date.now();
	const missing = [...(redisBin() ? [] : ['redis-server']), ...(postgresBin() ? [] : ['postgresql'])];
	if (!missing.length) return { installed: [], ms: Date.now() - started };
	if (!isRoot()) throw new Error(`${missing.join(' and ')} missing; install them (apt-get install ${missing.join(' ')}) or run as root`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const update = await runCommand('apt-get', ['update'], { env, timeoutMs: 300_000 });
	if (update.code !== 0) throw new Error(`apt-get update failed:\n${update.stderr.slice(-2000)}`);
	// --no-install-recommends: no extra services; the packages' own clusters/daemons are not used.
	const install = await runCommand('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, timeoutMs: 600_000 });
	if (install.code !== 0 || !redisBin() || !postgresBin()) throw new Error(`apt-get install ${missing.join(' ')} failed:\n${install.stderr.slice(-2000)}`);
	return { installed: missing, ms: Date.now() - started };
}

/** Runs a PostgreSQL binary as `postgres` when we are root (postgres refuses to run as root). */
async function asPostgres(bin: string, args: string[], timeoutMs = 120_000) {
	const [command, fullArgs] = isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
	const result = await runCommand(command, fullArgs, { cwd: '/', timeoutMs });
	if (result.code !== 0) throw new Error(`${bin} ${args.join(' ')} exited ${result.code}:\n${result.stdout.slice(-1500)}${result.stderr.slice(-1500)}`);
	return result;
}

async function waitForPort(port: number, what: string, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const open = await new Promise<boolean>((resolveOpen) => {
			const socket = new Socket();
			socket.once('connect', () => {
				socket.destroy();
				resolveOpen(true);
			});
			socket.once('error', () => resolveOpen(false));
			socket.connect(port, HOST);
		});
		if (open) return;
		if (Date.now() > deadline) throw new Error(`${what} did not listen on ${HOST}:${port} within ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

async function stopChild(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
	await exited;
	clearTimeout(timer);
}

/** Starts PostgreSQL (database `n8n`) and Redis on free loopback ports. */
export async function startQueueServices(): Promise<QueueServices> {
	const pgBin = postgresBin();
	const redis = redisBin();
	if (!pgBin || !redis) throw new Error('PostgreSQL or Redis is not installed: call ensureQueuePackages() first');

	// A folder of its own, owned by postgres when we are root (initdb refuses a folder it cannot own).
	const root = mkdtempSync(join(tmpdir(), 'feishu-queue-services-'));
	const pgData = join(root, 'pg');
	const pgSocket = join(root, 'pg-socket');
	const redisDir = join(root, 'redis');
	mkdirSync(pgSocket);
	mkdirSync(redisDir);
	if (isRoot()) {
		const uid = Number((await runCommand('id', ['-u', 'postgres'])).stdout.trim());
		const gid = Number((await runCommand('id', ['-g', 'postgres'])).stdout.trim());
		for (const dir of [root, pgSocket]) chownSync(dir, uid, gid);
	}

	let redisChild: ChildProcess | undefined;
	let pgStarted = false;
	let stopped = false;
	const stop = async (): Promise<void> => {
		if (stopped) return;
		stopped = true;
		if (redisChild) await stopChild(redisChild).catch(() => undefined);
		if (pgStarted) await asPostgres(join(pgBin, 'pg_ctl'), ['-D', pgData, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
		rmSync(root, { recursive: true, force: true });
	};

	try {
		const pgPort = await freePort();
		await asPostgres(join(pgBin, 'initdb'), ['-D', pgData, '-U', PG_USER, '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
		// fsync off: the data is thrown away; a crash costs nothing.
		const options = `-p ${pgPort} -k ${pgSocket} -c listen_addresses=${HOST} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
		pgStarted = true;
		await asPostgres(join(pgBin, 'pg_ctl'), ['-D', pgData, '-o', options, '-l', join(root, 'pg.log'), '-w', '-t', '60', 'start']);
		await asPostgres(join(pgBin, 'psql'), ['-h', HOST, '-p', String(pgPort), '-U', PG_USER, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', `ALTER USER ${PG_USER} PASSWORD '${PG_PASSWORD}'`, '-c', `CREATE DATABASE ${DATABASE}`]);

		const redisPort = await freePort();
		redisChild = spawn(redis, ['--port', String(redisPort), '--bind', HOST, '--dir', redisDir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'], {
			cwd: redisDir,
			stdio: 'ignore',
		});
		await waitForPort(redisPort, 'redis-server');

		return {
			postgres: { host: HOST, port: pgPort, database: DATABASE, user: PG_USER, password: PG_PASSWORD },
			redis: { host: HOST, port: redisPort },
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

/** One SQL query's rows, tab-separated, read with psql as the e2e's own check (not through n8n). */
export async function sql(services: QueueServices, query: string): Promise<string[][]> {
	const { host, port, user, database } = services.postgres;
	const bin = postgresBin();
	const psql = bin ? join(bin, 'psql') : 'psql';
	const result = await runCommand(psql, ['-h', host, '-p', String(port), '-U', user, '-d', database, '-v', 'ON_ERROR_STOP=1', '-At', '-F', '\t', '-c', query], {
		cwd: '/',
		env: { PATH: process.env.PATH, PGPASSWORD: services.postgres.password },
		timeoutMs: 30_000,
	});
	if (result.code !== 0) throw new Error(`psql failed: ${result.stderr.slice(-1000)}`);
	return result.stdout
		.split('\n')
		.filter((line) => line !== '')
		.map((line) => line.split('\t'));
}
