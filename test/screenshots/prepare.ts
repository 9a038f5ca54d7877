import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { DemoData } from '../sandbox';
import { buildAndPack, installLikeN8n } from '../e2e/communityPackage';
import type { CommandResult } from '../e2e/n8nApp';
import { DEFAULT_N8N_VERSION, n8n } from '../e2e/n8nApp';
import { credentials, workflows } from './workflows';

// A user folder as a self-hosted n8n would have it after installing this package from npm and
// creating a credential and two workflows: built, packed, installed with production dependencies.

function failure(what: string, result: CommandResult): Error {
	return new Error(`${what} exited ${result.code}\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`);
}

export async function prepareUserFolder(work: string, sandboxUrl: string, demo: DemoData): Promise<string> {
	const userFolder = join(work, 'user');
	const { tarball } = await buildAndPack(work);
	await installLikeN8n(userFolder, tarball);

	// Imported before `n8n start`: the CLI encrypts the plain credential data with the same key.
	const credentialFile = join(work, 'credentials.json');
	writeFileSync(credentialFile, JSON.stringify(credentials(sandboxUrl, demo)));
	const imported = await n8n(DEFAULT_N8N_VERSION, userFolder, ['import:credentials', `--input=${credentialFile}`]);
	if (imported.code !== 0) throw failure('n8n import:credentials', imported);

	const workflowDir = join(work, 'workflows');
	mkdirSync(workflowDir);
	workflows(demo).forEach((workflow, n) => writeFileSync(join(workflowDir, `${n}.json`), JSON.stringify(workflow)));
	const importedWorkflows = await n8n(DEFAULT_N8N_VERSION, userFolder, ['import:workflow', '--separate', `--input=${workflowDir}`]);
	if (importedWorkflows.code !== 0) throw failure('n8n import:workflow', importedWorkflows);
	return userFolder;
}
