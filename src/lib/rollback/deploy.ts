import type {ECSClient, Service} from '@aws-sdk/client-ecs'

import {markServiceDeployment} from './marker.js'

export interface Started {
  service: Service
  /** `ecs-svc/…` id of the new PRIMARY deployment. */
  deploymentId?: string
  /** ARN of ECS's record of this deployment (ListServiceDeployments), when the API gives it. */
  deploymentArn?: string
  /** Why the taskonaut mark could not be written, when it could not. */
  markError?: string
}

/**
 * The one write of a rollback: UpdateService with the target revision's ARN (nothing else
 * changes: desired count, network and capacity settings stay as they are), then the mark
 * that lets `rollback history` tell this deployment was taskonaut's.
 */
export async function startRollback(ecs: ECSClient, cluster: string, service: string, taskDefinitionArn: string): Promise<Started> {
  const {UpdateServiceCommand} = await import('@aws-sdk/client-ecs')
  const out = await ecs.send(new UpdateServiceCommand({cluster, service, taskDefinition: taskDefinitionArn}))
  const updated = out.service ?? {}
  const primary = updated.deployments?.find((d) => d.status === 'PRIMARY')
  const started: Started = {deploymentArn: updated.currentServiceDeployment, deploymentId: primary?.id, service: updated}
  const key = started.deploymentArn ?? started.deploymentId
  if (updated.serviceArn && key) {
    try {
      await markServiceDeployment(ecs, updated.serviceArn, key)
    } catch (error) {
      started.markError = `${(error as Error).name}: ${(error as Error).message}`
    }
  }

  return started
}
