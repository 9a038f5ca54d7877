import { join } from 'node:path';

import { n8nDir, nodeFor, runCommand } from './n8nApp';

// n8n's own SQLite database (<user folder>/.n8n/database.sqlite), read with the sqlite3 module of
// the n8n install under test, read-only, while n8n runs (design.md: executions live in
// execution_entity).

type Row = Record<string, unknown>;

interface Sqlite3 {
	OPEN_READONLY: number;
	Database: new (file: string, mode: number, callback: (error: Error | null) => void) => {
		all: (sql: string, params: unknown[], callback: (error: Error | null, rows: Row[]) => void) => void;
		close: (callback: () => void) => void;
	};
}

/**
 * The same query in a child process on the Node that runs this n8n: a sqlite3 built against Node
 * 24's headers (n8n 2.41) crashes this Node 20 process when loaded here [seen: segmentation fault].
 */
const QUERY_IN_CHILD = `
const [module, file, sql, params] = process.argv.slice(1);
const sqlite3 = require(module);
const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) => { if (error) { console.error(error.message); process.exit(1); } });
db.all(sql, JSON.parse(params), (error, rows) => {
	if (error) { console.error(error.message); process.exit(1); }
	process.stdout.write(JSON.stringify(rows));
	db.close(() => undefined);
});`;

export async function queryN8nDb(version: string, userFolder: string, sql: string, params: unknown[] = []): Promise<Row[]> {
	const module = join(n8nDir(version), 'node_modules', 'sqlite3');
	const file = join(userFolder, '.n8n', 'database.sqlite');
	if (nodeFor(version) !== process.execPath) {
		const result = await runCommand(nodeFor(version), ['-e', QUERY_IN_CHILD, module, file, sql, JSON.stringify(params)], { timeoutMs: 60_000 });
		if (result.code !== 0) throw new Error(`reading n8n's database failed (exit ${result.code}): ${result.stderr.slice(-1000)}`);
		return JSON.parse(result.stdout) as Row[];
	}
	const sqlite3 = require(module) as Sqlite3;
	return await new Promise((resolveRows, reject) => {
		const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) => error && reject(error));
		db.all(sql, params, (error, rows) => {
			db.close(() => undefined);
			if (error) reject(error);
			else resolveRows(rows);
		});
	});
}

/** Executions of one workflow by status ({ success: 3, error: 1 }); {} when it has none. */
export async function executionCounts(version: string, userFolder: string, workflowId: string): Promise<Record<string, number>> {
	const rows = await queryN8nDb(version, userFolder, 'SELECT status, count(*) AS n FROM execution_entity WHERE workflowId = ? GROUP BY status', [workflowId]);
	return Object.fromEntries(rows.map((row) => [String(row.status), Number(row.n)]));
}

/** All executions of one workflow, whatever their status. */
export async function executionTotal(version: string, userFolder: string, workflowId: string): Promise<number> {
	return Object.values(await executionCounts(version, userFolder, workflowId)).reduce((sum, n) => sum + n, 0);
}

/**
 * Whether `n8n start` has activated these published workflows. n8n 2.41 activates them through a
 * "workflow publication outbox", after start-up has printed its editor address: a record per
 * publication, `completed` once its triggers and webhooks are live. Older versions have no outbox
 * and activate before that line, so for them the caller's log check is the whole answer (true here).
 */
export async function publicationsCompleted(version: string, userFolder: string, workflowIds: string[]): Promise<boolean> {
	const outbox = await queryN8nDb(version, userFolder, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'workflow_publication_outbox'");
	if (!outbox.length) return true;
	const rows = await queryN8nDb(version, userFolder, `SELECT workflowId, status, errorMessage FROM workflow_publication_outbox WHERE workflowId IN (${workflowIds.map(() => '?').join(', ')})`, workflowIds);
	const broken = rows.find((row) => row.status === 'failed' || row.status === 'partial_success');
	if (broken) throw new Error(`publishing ${String(broken.workflowId)} ended ${String(broken.status)}: ${String(broken.errorMessage)}`);
	return workflowIds.every((id) => rows.some((row) => row.workflowId === id && row.status === 'completed') && !rows.some((row) => row.workflowId === id && (row.status === 'pending' || row.status === 'in_progress')));
}
