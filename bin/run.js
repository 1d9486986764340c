#!/usr/bin/env node
// @oclif/core as bundled by scripts/bundle.js: one file, loaded through the V8 code cache (README: Start-up).
// A build made by tsc alone has no bundle: it still runs, from node_modules, only slower.
import {defaultArgs} from './default-command.js'

// Installed plugins import 'taskonaut' through a link that asks for this install's API
// (src/hooks/plugins-preinstall.ts), wherever this install has moved since.
globalThis[Symbol.for('taskonaut.api')] = new URL('../dist/index.js', import.meta.url).href

const {execute} = await import('../dist/oclif-core.js').catch((error) => {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('oclif-core.js')) throw error
  return import('@oclif/core')
})

await execute({args: defaultArgs(process.argv.slice(2)), dir: import.meta.url})
