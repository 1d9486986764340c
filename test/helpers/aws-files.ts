import {writeFile} from 'node:fs/promises'

/** Writes the sandboxed AWS config and credentials files that test/setup.ts points at. */
export async function writeAwsFiles(files: {config?: string; credentials?: string}): Promise<void> {
  await writeFile(process.env.AWS_CONFIG_FILE!, files.config ?? '')
  await writeFile(process.env.AWS_SHARED_CREDENTIALS_FILE!, files.credentials ?? '')
}
