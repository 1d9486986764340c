import type {Service} from '@aws-sdk/client-ecs'

import {EXIT, type Explained} from '../aws/errors.js'

/**
 * Why a service cannot be rolled back with UpdateService, or undefined when it can.
 * CODE_DEPLOY and EXTERNAL services change revision through their own controller: ECS refuses
 * (or, worse, half-applies) a task definition change made with UpdateService.
 */
export function serviceRefusal(service: Service): Explained | undefined {
  const name = service.serviceName ?? 'the service'
  const controller = service.deploymentController?.type ?? 'ECS'
  if (controller === 'CODE_DEPLOY') {
    return {
      exit: EXIT.FAILURE,
      message: `Service ${name} is deployed by CodeDeploy (blue/green): taskonaut cannot roll it back with UpdateService.`,
      suggestions: [
        'Roll back in CodeDeploy: stop the running deployment with `aws deploy stop-deployment --deployment-id ID --auto-rollback-enabled`, or create a new CodeDeploy deployment whose AppSpec names the earlier task definition.',
      ],
    }
  }

  if (controller === 'EXTERNAL') {
    return {
      exit: EXIT.FAILURE,
      message: `Service ${name} uses an EXTERNAL deployment controller: its revisions are changed through task sets, not UpdateService.`,
      suggestions: [
        'Create a task set with the earlier task definition (`aws ecs create-task-set`) and make it primary (`aws ecs update-service-primary-task-set`), or use the tool that manages this service.',
      ],
    }
  }

  if (service.status && service.status !== 'ACTIVE') {
    return {
      exit: EXIT.FAILURE,
      message: `Service ${name} is ${service.status} (being deleted): it cannot be deployed.`,
      suggestions: ['Pick another service.'],
    }
  }

  return undefined
}
