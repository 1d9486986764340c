/** An answer in AWS's error shape: HTTP status plus `{"__type", "message"}`. */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message)
    this.name = type
  }
}

export const invalidParameter = (message: string) => new AwsError('InvalidParameterException', message)
export const clientException = (message: string) => new AwsError('ClientException', message)
export const clusterNotFound = () => new AwsError('ClusterNotFoundException', 'Cluster not found.')
export const serviceNotFound = () => new AwsError('ServiceNotFoundException', 'Service not found.')
export const serialization = (message: string) => new AwsError('SerializationException', message)
