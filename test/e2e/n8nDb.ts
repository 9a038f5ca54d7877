import { join } from 'node:path';

import { n8nDir } from './n8nApp';

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

export async function queryN8nDb(version: string, userFolder: string, sql: string, params: unknown[] = []): Promise<Row[]> {
	const sqlite3 = require(join(n8nDir(version), 'node_modules', 'sqlite3')) as Sqlite3;
	return await new Promise((resolveRows, reject) => {
		const db = new sqlite3.Database(join(userFolder, '.n8n', 'database.sqlite'), sqlite3.OPEN_READONLY, (error) => error && reject(error));
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
