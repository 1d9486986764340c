import type {TaskDefinition} from '@aws-sdk/client-ecs'

export const DIGEST_A = 'sha256:' + '0a1b2c3d'.repeat(8)
export const DIGEST_B = 'sha256:' + 'f0e1d2c3'.repeat(8)
const ACCOUNT = '123456789012'
const ECR = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`

/** A realistic Fargate web service revision (what `web:245` looks like in the console). */
export function webRevision(revision: number, overrides: Partial<TaskDefinition> = {}): TaskDefinition {
  return {
    compatibilities: ['EC2', 'FARGATE'],
    containerDefinitions: [
      {
        cpu: 448,
        environment: [
          {name: 'LOG_LEVEL', value: 'info'},
          {name: 'FEATURE_CHECKOUT_V2', value: 'true'},
          {name: 'DB_PASSWORD', value: 'hunter2-plain'},
        ],
        essential: true,
        healthCheck: {command: ['CMD-SHELL', 'curl -fsS localhost:8080/health || exit 1'], interval: 15, retries: 3, timeout: 5},
        image: `${ECR}/shop/web:v2.14.0@${DIGEST_A}`,
        logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/web', 'awslogs-region': 'eu-west-1'}},
        memory: 896,
        name: 'web',
        portMappings: [{containerPort: 8080, hostPort: 8080, protocol: 'tcp'}],
        secrets: [
          {name: 'DATABASE_URL', valueFrom: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:prod/web/db-AbCdEf`},
          {name: 'STRIPE_KEY', valueFrom: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/prod/web/stripe`},
        ],
      },
      {
        cpu: 64,
        essential: false,
        image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0',
        memory: 128,
        name: 'log-router',
      },
    ],
    cpu: '512',
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/web-execution`,
    family: 'web',
    memory: '1024',
    networkMode: 'awsvpc',
    registeredAt: new Date(Date.UTC(2026, 10, 20 + (revision % 10), 9, 30)),
    registeredBy: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci`,
    requiresAttributes: [{name: 'com.amazonaws.ecs.capability.docker-remote-api.1.19'}],
    requiresCompatibilities: ['FARGATE'],
    revision,
    runtimePlatform: {cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX'},
    status: 'ACTIVE',
    taskDefinitionArn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/web:${revision}`,
    taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/web-task`,
    ...overrides,
  }
}

/** Deep copy with the first container changed by `edit`. */
export function withWeb(td: TaskDefinition, edit: (c: NonNullable<TaskDefinition['containerDefinitions']>[number]) => void, revision?: number): TaskDefinition {
  const copy = structuredClone(td)
  if (revision !== undefined) {
    copy.revision = revision
    copy.taskDefinitionArn = td.taskDefinitionArn?.replace(/:\d+$/, `:${revision}`)
  }

  edit(copy.containerDefinitions![0])
  return copy
}
