#!/usr/bin/env node
'use strict';
// Runs the TypeScript entry from source, as every script of this repository does. The workspace's
// tsconfig carries the decorator settings the services need, wherever the command is run from.
const { join } = require('node:path');

process.env.SWC_NODE_PROJECT ??= join(__dirname, '..', '..', '..', 'tsconfig.json');
require('@swc-node/register');
require('../src/cli/tashghil.ts').main(process.argv.slice(2));
