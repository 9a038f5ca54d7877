import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core writes `<N8N_USER_FOLDER>/.n8n/config` on load: keep it out of the developer's home.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-feishu-test-'));
