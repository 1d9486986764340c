import {Flags} from '@oclif/core'

/** Global flags every taskonaut command has (BaseCommand.baseFlags). */
export const globalFlags = {
  'endpoint-url': Flags.string({
    description: 'Endpoint URL for every service, e.g. LocalStack or the local emulator (http://localhost:4566) [env: AWS_ENDPOINT_URL_ECS for ECS only, AWS_ENDPOINT_URL]',
    helpGroup: 'GLOBAL',
  }),
  'no-color': Flags.boolean({description: 'Do not colour output [env: NO_COLOR]', helpGroup: 'GLOBAL'}),
  'no-input': Flags.boolean({
    description: 'Never prompt; fail naming the flag when a value is missing [also when CI is set (not to false or 0) or not a TTY]',
    helpGroup: 'GLOBAL',
  }),
  profile: Flags.string({description: 'AWS profile from your shared config/credentials files', env: 'AWS_PROFILE', helpGroup: 'GLOBAL'}),
  region: Flags.string({description: 'AWS region [env: AWS_REGION, AWS_DEFAULT_REGION]', helpGroup: 'GLOBAL'}),
}

/** For commands that change something: skip the confirmation (required without a TTY). */
export const yesFlag = {
  yes: Flags.boolean({char: 'y', description: 'Do it without asking for confirmation (required when not interactive)'}),
}

export const clusterFlag = Flags.string({char: 'c', description: 'Cluster name or ARN'})
export const serviceFlag = Flags.string({char: 's', description: 'Service name or ARN'})
