import {EXIT, type Explained, firstLine} from '../aws/errors.js'
import {shortName} from '../ecs/names.js'

/**
 * ExecuteCommand's own failures, explained. Undefined for anything else (the caller's general
 * AWS error mapping takes over).
 */
export function explainExecError(error: any, where: {cluster: string; service?: string}): Explained | undefined {
  const name: string = error?.name ?? ''
  const message: string = error?.message ?? String(error)
  if (name === 'TargetNotConnectedException') {
    return {
      exit: EXIT.FAILURE,
      message: `The exec agent in the container is not connected to AWS: ${firstLine(message)}`,
      suggestions: [
        'Check that the task role (not the execution role) allows ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel and OpenDataChannel; that the task can reach ssmmessages.<region>.amazonaws.com (NAT gateway or VPC endpoint); and that the agent is current (Fargate platform 1.4.0+, or a recent ECS-optimised AMI). Then replace the task.',
      ],
    }
  }

  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return {
      exit: EXIT.FAILURE,
      message: `Not allowed to exec: ${firstLine(message)}`,
      suggestions: [
        'Your identity needs ecs:ExecuteCommand on the task (and cluster), and kms:GenerateDataKey when the cluster encrypts exec sessions with KMS; use a profile that has them (--profile).',
      ],
    }
  }

  if (name === 'InvalidParameterException' && /execute command/i.test(message)) {
    return {
      exit: EXIT.FAILURE,
      message: `Exec is not enabled on this task: ${firstLine(message)}`,
      suggestions: [
        where.service
          ? `aws ecs update-service --cluster ${shortName(where.cluster)} --service ${where.service} --enable-execute-command --force-new-deployment`
          : 'Start the task with --enable-execute-command.',
      ],
    }
  }

  return undefined
}
