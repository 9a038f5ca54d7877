import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { assert, check } from './checks';
import { PACKAGE_NAME } from './communityPackage';
import { crashedOnExit, n8n, parseJsonOutput, ROOT, runCommand } from './n8nApp';

// docs/docker.md's two recipes, without a Docker engine: both rest on folders and variables that
// n8n reads outside Docker too. The custom image runs examples/docker/Dockerfile's RUN command with
// /home/node as a temp folder and the packed tarball as the package; the mounted folder runs the
// docs' npm command into a folder that N8N_CUSTOM_EXTENSIONS names. Each gets a user folder of its
// own, a credential pointed at the sandbox, and runs a Get Many workflow with `n8n execute`, with
// N8N_UNVERIFIED_PACKAGES_ENABLED=false (n8n 3.0's default): neither path needs the panel.

export const DOCKERFILE = join(ROOT, 'examples', 'docker', 'Dockerfile');
/** The mounted-folder recipe's install, as docs/docker.md prints it. */
export const MOUNTED_FOLDER_INSTALL = `npm install --prefix ./n8n-custom --omit=dev --omit=peer --ignore-scripts --no-audit --no-fund ${PACKAGE_NAME}`;
/** Nodes that N8N_CUSTOM_EXTENSIONS loads are typed CUSTOM.<node>, not <package>.<node> [seen: CustomDirectoryLoader]. */
const CUSTOM_PREFIX = 'CUSTOM';

/** The Dockerfile's RUN command (continuation lines joined). */
export function dockerfileRun(): string {
	const text = readFileSync(DOCKERFILE, 'utf8').replace(/\\\n/g, ' ');
	const runs = text.split('\n').filter((line) => line.startsWith('RUN '));
	assert(runs.length === 1, `expected one RUN in ${DOCKERFILE}, found ${runs.length}`);
	return runs[0].slice(4).trim();
}

export interface DockerRecipes {
	version: string;
	work: string;
	tarball: string;
	/** import:credentials' input: the good feishuApi credential (id feishuSandbox001). */
	credentials: object[];
	/** The workflow to run (test/e2e/workflows/approvers-queue.json) and how many instances it must return. */
	workflowFile: string;
	workflowId: string;
	expected: number;
}

export async function runDockerRecipes({ version, work, tarball, credentials, workflowFile, workflowId, expected }: DockerRecipes): Promise<void> {
	await check('docs/docker.md prints examples/docker/Dockerfile\'s RUN command and the mounted-folder install the e2e runs', async () => {
		const docs = ['docs/docker.md', 'docs/zh-CN/docker.md'].map((f) => join(ROOT, f));
		for (const file of docs) {
			assert(existsSync(file), `${file} is missing`);
			const text = readFileSync(file, 'utf8');
			assert(text.includes(dockerfileRun()), `${file} does not print the Dockerfile's RUN command:\n${dockerfileRun()}`);
			assert(text.includes(MOUNTED_FOLDER_INSTALL), `${file} does not print the mounted-folder install:\n${MOUNTED_FOLDER_INSTALL}`);
		}
		return 'EN and zh-CN';
	});

	/** Imports the credential and the workflow (node types retyped when asked), executes it, counts its instances. */
	const runIn = async (userFolder: string, env: NodeJS.ProcessEnv, nodePrefix: string): Promise<string> => {
		const files = join(userFolder, 'import');
		mkdirSync(files, { recursive: true });
		writeFileSync(join(files, 'credentials.json'), JSON.stringify(credentials));
		writeFileSync(join(files, 'workflow.json'), readFileSync(workflowFile, 'utf8').split(`"${PACKAGE_NAME}.`).join(`"${nodePrefix}.`));
		for (const args of [
			['import:credentials', `--input=${join(files, 'credentials.json')}`],
			['import:workflow', `--input=${join(files, 'workflow.json')}`],
			['execute', `--id=${workflowId}`, '--rawOutput'],
		]) {
			const result = await n8n(version, userFolder, args, 180_000, env);
			assert(result.code === 0 || (args[0] === 'execute' && crashedOnExit(result)), `n8n ${args[0]} exited ${result.code}:\n${result.stdout.slice(-2000)}${result.stderr.slice(-2000)}`);
			if (args[0] !== 'execute') continue;
			const run = parseJsonOutput(result.stdout) as { data: { resultData: { runData: Record<string, Array<{ data?: { main: unknown[][] } }>> } } };
			const items = run.data.resultData.runData['Feishu Approval']?.[0]?.data?.main?.[0] ?? [];
			assert(items.length === expected, `expected ${expected} instances, got ${items.length}`);
		}
		return `${expected} instances through ${nodePrefix}.feishuApproval`;
	};
	/** What an install left: the package and undici, and neither n8n-workflow nor dev dependencies. */
	const installed = (nodeModules: string) => {
		assert(existsSync(join(nodeModules, PACKAGE_NAME, 'package.json')), `${PACKAGE_NAME} is not in ${nodeModules}`);
		assert(existsSync(join(nodeModules, 'undici', 'package.json')), `undici is not in ${nodeModules}`);
		const extra = ['n8n-workflow', 'n8n-core', 'jest', 'typescript'].filter((name) => existsSync(join(nodeModules, name)));
		assert(!extra.length, `peer or dev dependencies were installed: ${extra.join(', ')}`);
	};
	const threeO = { N8N_UNVERIFIED_PACKAGES_ENABLED: 'false' };

	await check(`Docker, custom image in n8n@${version}: the Dockerfile's RUN installs into the nodes folder; Get Many runs with N8N_UNVERIFIED_PACKAGES_ENABLED=false`, async () => {
		const home = join(work, 'docker-image-home');
		mkdirSync(home, { recursive: true });
		const command = dockerfileRun().split('/home/node').join(home).split('"${PACKAGE}"').join(`'${tarball}'`);
		const result = await runCommand('sh', ['-c', command], { cwd: work, timeoutMs: 300_000 });
		assert(result.code === 0, `the Dockerfile's RUN exited ${result.code}:\n${result.stderr.slice(-2000)}`);
		installed(join(home, '.n8n', 'nodes', 'node_modules'));
		return await runIn(home, threeO, PACKAGE_NAME);
	});

	await check(`Docker, mounted folder in n8n@${version}: the package in a folder N8N_CUSTOM_EXTENSIONS names loads as ${CUSTOM_PREFIX}.*; Get Many runs with N8N_UNVERIFIED_PACKAGES_ENABLED=false`, async () => {
		const host = join(work, 'docker-host');
		mkdirSync(host, { recursive: true });
		const command = MOUNTED_FOLDER_INSTALL.replace(/ n8n-nodes-feishu-approval$/, ` '${tarball}'`);
		const result = await runCommand('sh', ['-c', command], { cwd: host, timeoutMs: 300_000 });
		assert(result.code === 0, `${command} exited ${result.code}:\n${result.stderr.slice(-2000)}`);
		const folder = join(host, 'n8n-custom');
		installed(join(folder, 'node_modules'));
		// The container sees the folder at another path: mount a copy elsewhere, as docker -v does.
		const mounted = join(work, 'opt-n8n-custom');
		cpSync(folder, mounted, { recursive: true });
		const userFolder = join(work, 'docker-mounted-home');
		mkdirSync(userFolder, { recursive: true });
		return await runIn(userFolder, { ...threeO, N8N_CUSTOM_EXTENSIONS: mounted }, CUSTOM_PREFIX);
	});
}
