import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { runCommand } from './n8nApp';

export const PACKAGE_NAME = 'n8n-nodes-feishu-approval';

/** `npm run build`, then `npm pack` into `into`; returns the tarball's path. */
export async function buildAndPack(into: string): Promise<{ tarball: string; files: string[] }> {
	const build = await runCommand('npm', ['run', 'build'], { timeoutMs: 300_000 });
	if (build.code !== 0) throw new Error(`npm run build failed:\n${build.stdout.slice(-2000)}${build.stderr.slice(-2000)}`);
	const pack = await runCommand('npm', ['pack', '--json', `--pack-destination=${into}`], { timeoutMs: 120_000 });
	if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.stderr.slice(-2000)}`);
	const [packed] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
	return { tarball: join(into, packed.filename), files: packed.files.map((f) => f.path) };
}

/**
 * Installs the tarball the way n8n 2.8.4 installs a community package (CommunityPackagesService.
 * downloadPackage [seen in its dist/]): unpack into <user folder>/.n8n/nodes/node_modules/<name>,
 * drop dev, peer and optional dependencies from its package.json, `npm install` there with n8n's
 * flags, and record it in nodes/package.json. Only production dependencies end up beside it.
 */
export async function installLikeN8n(userFolder: string, tarball: string): Promise<string> {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const packageDir = join(nodesDir, 'node_modules', PACKAGE_NAME);
	mkdirSync(packageDir, { recursive: true });
	const nodesPackageJson = join(nodesDir, 'package.json');
	if (!existsSync(nodesPackageJson)) writeFileSync(nodesPackageJson, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));

	const untar = await runCommand('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
	if (untar.code !== 0) throw new Error(`tar failed: ${untar.stderr}`);
	const manifestPath = join(packageDir, 'package.json');
	const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
	for (const field of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete manifest[field];
	writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));

	const npmArgs = ['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'];
	const install = await runCommand('npm', npmArgs, { cwd: packageDir, timeoutMs: 300_000 });
	if (install.code !== 0) throw new Error(`npm install in ${packageDir} failed:\n${install.stderr.slice(-2000)}`);

	const nodesManifest = JSON.parse(readFileSync(nodesPackageJson, 'utf8')) as { dependencies: Record<string, string> };
	nodesManifest.dependencies[PACKAGE_NAME] = String(manifest.version);
	writeFileSync(nodesPackageJson, JSON.stringify(nodesManifest, null, 2));
	return packageDir;
}
