const { src, dest, parallel } = require('gulp');

// tsc copies neither icons nor codex files; n8n loads both from dist/ next to the compiled nodes.
const nodeAssets = () => src('nodes/**/*.{png,svg,node.json}').pipe(dest('dist/nodes'));
const credentialAssets = () => src('credentials/**/*.{png,svg}').pipe(dest('dist/credentials'));

exports['build:icons'] = parallel(nodeAssets, credentialAssets);
