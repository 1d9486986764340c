import type {Container, Task} from '@aws-sdk/client-ecs'

export const CLUSTER_ARN = 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod'

let counter = 0

/** A task id like ECS makes them (32 hex digits), unique per call unless given. */
export function fakeId(seed?: number): string {
  const n = seed ?? ++counter
  return n.toString(16).padStart(8, '0') + 'abcdef0123456789abcdef01'
}

export function fakeContainer(name: string, over: Partial<Container> = {}): Container {
  return {
    lastStatus: 'RUNNING',
    managedAgents: [{lastStatus: 'RUNNING', name: 'ExecuteCommandAgent'}],
    name,
    runtimeId: `${name}-runtime-1234`,
    ...over,
  }
}

/** A RUNNING task with exec enabled and one running container "app", unless overridden. */
export function fakeTask(over: Partial<Task> & {id?: string} = {}): Task {
  const {id = fakeId(), ...rest} = over
  return {
    clusterArn: CLUSTER_ARN,
    containers: [fakeContainer('app')],
    desiredStatus: 'RUNNING',
    enableExecuteCommand: true,
    group: 'service:web',
    lastStatus: 'RUNNING',
    startedAt: new Date('2026-12-03T10:00:00Z'),
    taskArn: `arn:aws:ecs:eu-west-1:123456789012:task/prod/${id}`,
    taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:12',
    ...rest,
  }
}
