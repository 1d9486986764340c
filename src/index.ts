/**
 * taskonaut's public API for third-party plugins (`import {...} from 'taskonaut'`).
 *
 * Extend BaseCommand for the global flags, the AWS context and lazily built clients; reuse the
 * shared flags, the paginated ECS queries, and the decisions taskonaut itself makes (prune
 * plans, rollback diffs, exec preflight). The ECS helpers take a client that the caller gets
 * from BaseCommand#clients, so every command shares one configuration (region, endpoint,
 * credentials, retries). Importing this module does not load the AWS SDK: each helper loads
 * the SDK's command classes when it is first called (types only are imported here), so a
 * plugin's commands cost taskonaut's start-up (--help, --version) nothing extra.
 */

// Commands, flags, errors
export {BaseCommand, type BaseArgs, type BaseFlags} from './lib/base-command.js'
export {clusterFlag, globalFlags, serviceFlag, yesFlag} from './lib/flags.js'
export {EXIT, type Explained, ExplainedError, explainAwsError} from './lib/aws/errors.js'

// AWS context
export {AwsClients} from './lib/aws/clients.js'
export {type AwsContext, resolveContext} from './lib/aws/context.js'
export {listProfiles, type ProfileInfo} from './lib/aws/profiles.js'
export {knownRegions, type Region} from './lib/aws/regions.js'

// ECS queries: every page followed, Describe calls batched to the API maxima
export {chunk, collectPages, mapBatches} from './lib/ecs/batch.js'
export {describeClusters, listClusterArns} from './lib/ecs/clusters.js'
export {describeServiceDeployments, describeServiceRevisions, listServiceDeployments} from './lib/ecs/deployments.js'
export {inCluster, unknownCluster} from './lib/ecs/lookup.js'
export {familyRevision, parseTaskDefinition, shortName, taskId} from './lib/ecs/names.js'
export {type EcsRuleTarget, listEcsRuleTargets} from './lib/ecs/rules.js'
export {describeServices, listServiceArns} from './lib/ecs/services.js'
export {describeTaskDefinition, listFamilies, listRevisionArns} from './lib/ecs/task-definitions.js'
export {describeTasks, listTaskArns, type TaskFilter} from './lib/ecs/tasks.js'

// prune: the pure plan and what feeds it
export {type Badge, eligibleCount, type Plan, type PlanEntry, planFamily, type Policy, type Revision, type Usage, workOf} from './lib/prune/plan.js'
export {parseDuration, parseRanges} from './lib/prune/filters.js'
export {listRevisions} from './lib/prune/revisions.js'
export {scanUsage, type UsageScan, type UsageScope} from './lib/prune/usage.js'

// rollback: the pure diff and the deployment assessment
export {diffTaskDefinitions, type TaskDefinitionDiff} from './lib/rollback/diff.js'
export {type ImageRef, parseImage} from './lib/rollback/image.js'
export {assess, type Assessment} from './lib/rollback/assess.js'
export {watchDeployment, type WatchOutcome} from './lib/rollback/watch.js'

// exec: preflight and session start
export {execPreflight, preflight, type PreflightItem, type PreflightReport} from './lib/exec/preflight.js'
export {startExecuteCommand} from './lib/exec/session.js'
export {sessionTarget} from './lib/exec/plugin-invocation.js'

// Prompts and terminal (stub these in tests)
export {BACK, type Choice, prompts} from './lib/ui/prompts.js'
export {terminal} from './lib/ui/terminal.js'
