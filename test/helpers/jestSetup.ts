import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core writes `<N8N_USER_FOLDER>/.n8n/config` on load: keep it out of the developer's home.
// jest gives each test file its own copy of process.env, so each file gets a fresh folder;
// jestAfterEnv.ts removes it when the file is done (a folder given from outside is left alone).
if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'n8n-feishu-test-'));
	process.env.FEISHU_TEST_OWN_USER_FOLDER = process.env.N8N_USER_FOLDER;
}
