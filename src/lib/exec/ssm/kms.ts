import {AwsClients} from '../../aws/clients.js'
import type {AwsContext} from '../../aws/context.js'
import {DATA_KEY_BYTES, type DataKey, type KmsDataKeySource} from './encryption.js'

/**
 * The KMS data key source for a KMS-encrypted session: GenerateDataKey with the session's own
 * credentials (the same profile and region as the ExecuteCommand call, as the plugin does
 * when it is given the profile). The KMS client is loaded only when a session asks for it.
 */
export function kmsForContext(context: AwsContext): KmsDataKeySource {
  return {
    async generateDataKey(keyId: string, encryptionContext: Record<string, string>): Promise<DataKey> {
      // Built by the one client factory: same retries, and the command's own credentials.
      const [{GenerateDataKeyCommand}, client] = await Promise.all([import('@aws-sdk/client-kms'), new AwsClients(context).kms()])
      try {
        const output = await client.send(
          new GenerateDataKeyCommand({EncryptionContext: encryptionContext, KeyId: keyId, NumberOfBytes: DATA_KEY_BYTES}),
        )
        if (!output.CiphertextBlob || !output.Plaintext) throw new Error('KMS returned no data key')
        return {ciphertext: Buffer.from(output.CiphertextBlob), plaintext: Buffer.from(output.Plaintext)}
      } finally {
        client.destroy()
      }
    },
  }
}
