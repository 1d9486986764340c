import {writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'

/** Writes the sandboxed AWS config and credentials files that test/setup.ts points at. */
export async function writeAwsFiles(files: {config?: string; credentials?: string}): Promise<void> {
  await writeFile(process.env.AWS_CONFIG_FILE!, files.config ?? '')
  await writeFile(process.env.AWS_SHARED_CREDENTIALS_FILE!, files.credentials ?? '')
}

let fresh = 0

/**
 * The same, under new paths (AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE change: restore
 * process.env after the test). The AWS SDK caches each shared file it has read, by path, for
 * the life of the process, so a test whose SDK calls must see new profiles needs new paths, as
 * a new taskonaut process would see them.
 */
export async function writeFreshAwsFiles(files: {config?: string; credentials?: string}): Promise<void> {
  const dir = dirname(process.env.AWS_CONFIG_FILE!)
  fresh++
  process.env.AWS_CONFIG_FILE = join(dir, `aws-config-${fresh}`)
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, `aws-credentials-${fresh}`)
  await writeAwsFiles(files)
}
