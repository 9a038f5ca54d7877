// `npm run e2e:newest`: the newest n8n 2.x the registry has, and whether it installs here.
// It asks the registry for n8n's versions once, then resolves the whole dependency tree of each
// candidate, newest first (`npm install --package-lock-only`: every version must exist on the
// registry, nothing is downloaded or built), until one resolves. With --install it also installs
// that one into the e2e cache, as test:e2e would, and starts `n8n --version` on its Node.
// Moving the e2e to it is then one line: the first entry of E2E_N8N in test/e2e/versions.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureN8n, n8nBin, n8nEnv, nodeFor, runCommand } from './n8nApp';
import { compareVersions, n8nTarget, NEWEST_N8N } from './versions';

const TRIES = Number(process.env.E2E_NEWEST_TRIES ?? 4);

/** Resolves n8n@version's dependency tree against the registry; the error's gist when it cannot. */
async function resolves(version: string): Promise<{ ok: boolean; why: string; ms: number }> {
	const dir = mkdtempSync(join(tmpdir(), 'feishu-e2e-newest-'));
	try {
		// The same manifest as the e2e's install (n8nApp.ts), so the answer holds for it.
		writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'n8n-resolve-check', private: true, dependencies: { n8n: version }, overrides: { xlsx: '0.18.5' } }));
		const result = await runCommand('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, timeoutMs: 900_000 });
		const gist = `${result.stderr}\n${result.stdout}`
			.split('\n')
			.filter((line) => /ETARGET|E404|ERESOLVE|No matching version|notarget|not found|error/i.test(line))
			.slice(0, 4)
			.join(' / ')
			.replace(/\s+/g, ' ');
		return { ok: result.code === 0, why: result.code === 0 ? 'its dependency tree resolves on the registry' : gist || `npm exited ${result.code}`, ms: result.ms };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

async function main(): Promise<void> {
	const view = await runCommand('npm', ['view', 'n8n', 'versions', 'dist-tags', '--json'], { timeoutMs: 120_000 });
	if (view.code !== 0) throw new Error(`npm view n8n failed:\n${view.stderr.slice(-2000)}`);
	const { versions, 'dist-tags': tags } = JSON.parse(view.stdout) as { versions: string[]; 'dist-tags': Record<string, string> };
	const stable2 = versions.filter((v) => /^2\.\d+\.\d+$/.test(v)).sort(compareVersions).reverse();
	console.log(`n8n on the registry: latest tag ${tags.latest ?? '-'}, newest 2.x ${stable2[0]}; the e2e runs ${NEWEST_N8N} (test/e2e/versions.ts)`);

	let installable: string | undefined;
	for (const version of stable2.slice(0, TRIES)) {
		const { ok, why, ms } = await resolves(version);
		console.log(`n8n@${version}: ${ok ? 'installs' : 'does not install'} (${why}; ${(ms / 1000).toFixed(0)} s)`);
		if (ok) {
			installable = version;
			break;
		}
	}
	if (!installable) {
		console.log(`none of the newest ${TRIES} 2.x versions resolves here; keep ${NEWEST_N8N}`);
		process.exitCode = 1;
		return;
	}
	const cmp = compareVersions(installable, NEWEST_N8N);
	console.log(
		cmp === 0
			? `newest installable 2.x: ${installable}, the one the e2e runs: up to date`
			: cmp > 0
				? `newest installable 2.x: ${installable}, newer than the e2e's ${NEWEST_N8N}: put '${installable}' in the first entry of E2E_N8N (test/e2e/versions.ts; Node ${n8nTarget(installable).node ?? 'of the machine'}, ${n8nTarget(installable).pollSeconds} s polls as for ${NEWEST_N8N})`
				: `newest installable 2.x: ${installable}, older than the e2e's ${NEWEST_N8N}?`,
	);

	if (process.argv.includes('--install')) {
		const { cached, ms, dir } = await ensureN8n(installable);
		const userFolder = mkdtempSync(join(tmpdir(), 'feishu-e2e-newest-user-'));
		const started = await runCommand(nodeFor(installable), [n8nBin(installable), '--version'], { cwd: userFolder, env: n8nEnv(userFolder, installable), timeoutMs: 120_000 });
		rmSync(userFolder, { recursive: true, force: true });
		console.log(`n8n@${installable} ${cached ? 'already in' : `installed in ${(ms / 1000).toFixed(0)} s into`} ${dir}; n8n --version on ${nodeFor(installable)}: exit ${started.code}, ${started.stdout.trim().split('\n').pop()}`);
		if (started.code !== 0) process.exitCode = 1;
	}
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exitCode = 1;
});
