import type {ECSClient} from '@aws-sdk/client-ecs'
import type {EventBridgeClient} from '@aws-sdk/client-eventbridge'
import type {STSClient} from '@aws-sdk/client-sts'

import {type AwsContext, endpointFor} from './context.js'

/**
 * The one place AWS clients are built. Each SDK package is imported on first use, so
 * commands that never call AWS (help, version, config) never load it.
 *
 * Credentials come from the SDK's own provider chain for the profile (static keys, SSO,
 * assume-role, credential_process, container and instance roles), passed as a provider so
 * refreshable sources refresh; they are never resolved once into static values.
 */
export class AwsClients {
  private cache = new Map<string, unknown>()

  constructor(readonly context: AwsContext) {}

  private async common(service: string) {
    // The SDK warns on every run under Node 20 about its future Node 22 requirement; that
    // is noise in a CLI's stderr. `taskonaut doctor` reports it once instead.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
    const {fromNodeProviderChain} = await import('@aws-sdk/credential-providers')
    return {
      credentials: fromNodeProviderChain(this.context.profile ? {profile: this.context.profile} : {}),
      endpoint: endpointFor(service, this.context),
      maxAttempts: this.context.maxAttempts,
      region: this.context.region,
      retryMode: 'adaptive',
    }
  }

  private async memo<T>(key: string, make: () => Promise<T>): Promise<T> {
    if (!this.cache.has(key)) this.cache.set(key, make())
    return this.cache.get(key) as Promise<T>
  }

  /**
   * The ECS client. `retry` overrides the retry settings for callers that run their own
   * pacing and retries (prune's pipeline uses {maxAttempts: 1, retryMode: 'standard'}).
   */
  ecs(retry?: {maxAttempts?: number; retryMode?: 'standard' | 'adaptive'}): Promise<ECSClient> {
    return this.memo(retry ? `ecs:${retry.maxAttempts}:${retry.retryMode}` : 'ecs', async () => {
      const {ECSClient} = await import('@aws-sdk/client-ecs')
      return new ECSClient({...(await this.common('ecs')), ...retry})
    })
  }

  sts(): Promise<STSClient> {
    return this.memo('sts', async () => {
      const {STSClient} = await import('@aws-sdk/client-sts')
      return new STSClient(await this.common('sts'))
    })
  }

  eventBridge(): Promise<EventBridgeClient> {
    return this.memo('events', async () => {
      const {EventBridgeClient} = await import('@aws-sdk/client-eventbridge')
      return new EventBridgeClient(await this.common('eventbridge'))
    })
  }
}
