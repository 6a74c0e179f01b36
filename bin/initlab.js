#!/usr/bin/env node
// Runs the compiled CLI (dist/ is built by `npm install` through the `prepare` script).
import { cli } from '../dist/cli/main.js';
void cli(process.argv.slice(2));
