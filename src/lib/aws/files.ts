import {homedir} from 'node:os'
import {join} from 'node:path'

/** The shared AWS config file, as the SDK and the AWS CLI find it. */
export function awsConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_CONFIG_FILE || join(homedir(), '.aws', 'config')
}

/** The shared AWS credentials file, as the SDK and the AWS CLI find it. */
export function awsCredentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), '.aws', 'credentials')
}
