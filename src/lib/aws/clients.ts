import type {ECSClient} from '@aws-sdk/client-ecs'
import type {EventBridgeClient} from '@aws-sdk/client-eventbridge'
import type {KMSClient} from '@aws-sdk/client-kms'
import type {STSClient} from '@aws-sdk/client-sts'
import type {fromNodeProviderChain} from '@aws-sdk/credential-providers'

import {type AwsContext, endpointFor} from './context.js'

type CredentialProvider = ReturnType<typeof fromNodeProviderChain>

const providers = new WeakMap<AwsContext, Promise<CredentialProvider>>()

/**
 * One provider chain per context, shared by every client built for it (by any AwsClients): a
 * credential_process (aws-vault, granted, with their MFA or browser prompts), an SSO token
 * read or an assume-role call happens once per command, not once per client. The chain is
 * the SDK's memoized provider, so it still refreshes credentials that expire.
 */
export function credentialsFor(context: AwsContext): Promise<CredentialProvider> {
  let provider = providers.get(context)
  if (!provider) {
    provider = import('@aws-sdk/credential-providers').then((sdk) => sdk.fromNodeProviderChain(context.profile ? {profile: context.profile} : {}))
    providers.set(context, provider)
  }

  return provider
}

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
    return {
      credentials: await credentialsFor(this.context),
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

  /** KMS, for exec's KMS-encrypted sessions (GenerateDataKey). */
  kms(): Promise<KMSClient> {
    return this.memo('kms', async () => {
      const {KMSClient} = await import('@aws-sdk/client-kms')
      return new KMSClient(await this.common('kms'))
    })
  }

  eventBridge(): Promise<EventBridgeClient> {
    return this.memo('events', async () => {
      const {EventBridgeClient} = await import('@aws-sdk/client-eventbridge')
      return new EventBridgeClient(await this.common('eventbridge'))
    })
  }
}
