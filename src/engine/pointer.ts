/**
 * JSON Pointers (RFC 6901) into a message value: the one path form of DecodeError, EncodeError and
 * expert items. "" is the whole value; `/ies_name/0/field` a member of it.
 */

/** The pointer to member `key` (or item `key`) of the value at `path`. */
export function childPointer(path: string, key: string | number): string {
  if (typeof key === 'number' || !(key.includes('~') || key.includes('/'))) return `${path}/${key}`;
  return `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** How a pointer reads in a message: the whole value has the empty pointer. */
export const showPointer = (path: string): string => path || '(the whole value)';
