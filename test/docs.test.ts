import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// The documentation a user reads: the READMEs, CONTRIBUTING.md and docs/ in two languages, page
// for page, with every relative link pointing at a file that exists, and the editor's Docs links
// (the codex files beside each node) pointing at these pages.

const ROOT = resolve(__dirname, '..');
const DOCS = join(ROOT, 'docs');
const ZH = join(DOCS, 'zh-CN');

// Pages written on other branches at the same time as this test (Docker and n8n 3.0, AI and MCP,
// the security policy). Links to them are tolerated while they are missing; once every branch is
// merged this list should be empty.
const ARRIVING = new Set<string>([]);

const pages = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.md') && statSync(join(dir, f)).isFile()).sort();

const markdownFiles = (): string[] => {
	const top = ['README.md', 'README.zh-CN.md', 'CONTRIBUTING.md', 'CHANGELOG.md', 'SECURITY.md'].filter((f) => existsSync(join(ROOT, f)));
	return [...top, ...pages(DOCS).map((f) => `docs/${f}`), ...pages(ZH).map((f) => `docs/zh-CN/${f}`)];
};

/** Relative link targets of a Markdown text: `[text](target)` and `![alt](target)`, outside code. */
const relativeLinks = (text: string): string[] => {
	const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
	return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
		.map((m) => m[1])
		.filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#'));
};

describe('Documentation', () => {
	test('Should have every docs page in English and in Chinese, with the same file names', () => {
		const english = pages(DOCS);
		const chinese = pages(ZH);
		expect(english.length).toBeGreaterThan(0);
		expect(english.filter((f) => !chinese.includes(f))).toEqual([]);
		expect(chinese.filter((f) => !english.includes(f))).toEqual([]);
		expect(existsSync(join(ROOT, 'README.zh-CN.md'))).toBe(true);
	});

	test('Should keep the README short enough to read in five minutes', () => {
		for (const readme of ['README.md', 'README.zh-CN.md']) {
			const lines = readFileSync(join(ROOT, readme), 'utf8').split('\n').length;
			expect({ readme, short: lines <= 210 }).toEqual({ readme, short: true });
		}
	});

	test('Should point every relative link at a file that exists', () => {
		const broken: string[] = [];
		for (const file of markdownFiles()) {
			const text = readFileSync(join(ROOT, file), 'utf8');
			for (const target of relativeLinks(text)) {
				const path = decodeURIComponent(target.split('#')[0]);
				if (!path) continue;
				const absolute = resolve(ROOT, dirname(file), path);
				const fromRoot = relative(ROOT, absolute);
				if (!existsSync(absolute) && !ARRIVING.has(fromRoot)) broken.push(`${file}: ${target}`);
			}
		}
		expect(broken).toEqual([]);
	});

	test("Should open this package's own docs page from each node's Docs link", () => {
		const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { homepage: string; n8n: { nodes: string[] } };
		const prefix = `${manifest.homepage}/blob/main/`;
		for (const built of manifest.n8n.nodes) {
			const codexFile = join(ROOT, built.replace(/^dist\//, '').replace(/\.js$/, '.json'));
			expect({ codexFile: relative(ROOT, codexFile), exists: existsSync(codexFile) }).toEqual({ codexFile: relative(ROOT, codexFile), exists: true });
			const codex = JSON.parse(readFileSync(codexFile, 'utf8')) as { resources: { primaryDocumentation: Array<{ url: string }> } };
			const [primary] = codex.resources.primaryDocumentation;
			expect(primary.url.startsWith(`${prefix}docs/`)).toBe(true);
			for (const { url } of codex.resources.primaryDocumentation) {
				expect(existsSync(join(ROOT, url.slice(prefix.length).split('#')[0]))).toBe(true);
			}
		}
	});

	test('Should ship the license and the examples, and release the version the CHANGELOG names', () => {
		const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; license: string; files: string[] };
		expect(manifest.license).toBe('MIT');
		expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toContain('MIT License');
		expect(manifest.files).toEqual(expect.arrayContaining(['dist', 'examples', 'LICENSE']));
		const released = /^## \[(\d+\.\d+\.\d+)\]/m.exec(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'));
		expect(released?.[1]).toBe(manifest.version);
	});
});
