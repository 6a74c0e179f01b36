#!/usr/bin/env node
// Runs the compiled CLI (dist/ is built by `npm install` through the `prepare` script).
import { main } from '../dist/cli/main.js';
main(process.argv.slice(2)).then((code) => process.exit(code));
