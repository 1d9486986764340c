/** Last part of an ARN (`.../my-cluster` → `my-cluster`); a plain name is returned as is. */
export function shortName(arnOrName: string): string {
  return arnOrName.slice(arnOrName.lastIndexOf('/') + 1)
}

/** A task's id from its ARN (both the old and the long ARN format). */
export function taskId(taskArn: string): string {
  return shortName(taskArn)
}

export interface FamilyRevision {
  family: string
  revision: number
}

/** `arn:...:task-definition/web:12` or `web:12` → {family: 'web', revision: 12}. */
export function parseTaskDefinition(ref: string): FamilyRevision | undefined {
  const m = /(?:^|task-definition\/)([A-Za-z0-9_-]{1,255}):(\d+)$/.exec(ref)
  return m ? {family: m[1], revision: Number(m[2])} : undefined
}

/** `web:12` for an ARN or family:revision; the input itself when it has no revision. */
export function familyRevision(ref: string): string {
  const parsed = parseTaskDefinition(ref)
  return parsed ? `${parsed.family}:${parsed.revision}` : shortName(ref)
}
