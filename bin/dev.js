#!/usr/bin/env -S node --import tsx --no-warnings
// Development: runs src/ through tsx with @oclif/core from node_modules, no build needed.
import {execute} from '@oclif/core'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {defaultArgs} from './default-command.js'

// As bin/run.js does: installed plugins import this taskonaut's API (here src/, through tsx).
globalThis[Symbol.for('taskonaut.api')] = new URL('../src/index.ts', import.meta.url).href

// oclif.manifest.json describes the last build (dist/), and oclif trusts it when its version
// matches the package's: a development version makes oclif ignore it and load src/ instead.
const root = fileURLToPath(new URL('..', import.meta.url))
const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const loadOptions = {pjson: {...pjson, version: `${pjson.version}+dev`}, root}

// NODE_ENV=development lets oclif load src/ through tsx. Not `development: true`, which also
// turns on oclif's debug output (stack traces, and the manifest warning above).
process.env.NODE_ENV ??= 'development'
await execute({args: defaultArgs(process.argv.slice(2)), loadOptions})
