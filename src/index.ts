/**
 * taskonaut's public API for third-party plugins: extend BaseCommand to get the global flags,
 * the AWS context and lazily built clients; reuse the flags and the ECS helpers.
 */
export {BaseCommand, type BaseArgs, type BaseFlags} from './lib/base-command.js'
export {clusterFlag, globalFlags, serviceFlag, yesFlag} from './lib/flags.js'
export {AwsClients} from './lib/aws/clients.js'
export {type AwsContext, resolveContext} from './lib/aws/context.js'
export {EXIT, explainAwsError, type Explained} from './lib/aws/errors.js'
export {listProfiles, type ProfileInfo} from './lib/aws/profiles.js'
export {chunk, collectPages, mapBatches} from './lib/ecs/batch.js'
export {describeClusters, listClusterArns} from './lib/ecs/clusters.js'
export {familyRevision, parseTaskDefinition, shortName, taskId} from './lib/ecs/names.js'
export {describeServices, listServiceArns} from './lib/ecs/services.js'
export {describeTaskDefinition, listFamilies, listRevisionArns} from './lib/ecs/task-definitions.js'
export {describeTasks, listTaskArns, type TaskFilter} from './lib/ecs/tasks.js'
export {BACK, type Choice, prompts} from './lib/ui/prompts.js'
export {terminal} from './lib/ui/terminal.js'
