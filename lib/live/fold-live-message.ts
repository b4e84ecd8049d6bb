import type { LiveListState, LiveMessage, LiveObject } from './types';

/**
 * Folds one live-stream message into a list state: a SNAPSHOT replaces everything (first
 * connection and every re-list after a watch error), ADDED/MODIFIED upsert by namespace/name,
 * DELETED removes. Pure, so the browser cache and the tests agree. Items stay sorted by
 * namespace then name, which is how the tables show them.
 */
export function foldLiveMessage<T extends LiveObject = LiveObject>(options: {
  state: LiveListState<T> | undefined;
  message: LiveMessage;
  now?: number;
}): LiveListState<T> {
  const now = options.now ?? Date.now();
  const { message } = options;
  const state: LiveListState<T> = options.state ?? {
    items: [],
    resourceVersion: '',
    status: { state: 'connecting', since: now },
    updatedAt: now,
  };
  switch (message.type) {
    case 'SNAPSHOT':
      return {
        items: sortItems(message.items as T[]),
        resourceVersion: message.resourceVersion,
        status: message.status,
        updatedAt: now,
      };
    case 'STATUS':
      return { ...state, status: message.status, updatedAt: now };
    case 'ADDED':
    case 'MODIFIED': {
      const key = objectKey(message.object);
      const items = state.items.filter((i) => objectKey(i) !== key);
      items.push(message.object as T);
      return {
        ...state,
        items: sortItems(items),
        resourceVersion: message.object.metadata?.resourceVersion ?? state.resourceVersion,
        updatedAt: now,
      };
    }
    case 'DELETED': {
      const key = objectKey(message.object);
      return {
        ...state,
        items: state.items.filter((i) => objectKey(i) !== key),
        resourceVersion: message.object.metadata?.resourceVersion ?? state.resourceVersion,
        updatedAt: now,
      };
    }
  }
}

/** `namespace/name`, the identity of an object within one list. */
export function objectKey(obj: LiveObject): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

function sortItems<T extends LiveObject>(items: T[]): T[] {
  return [...items].sort((a, b) => objectKey(a).localeCompare(objectKey(b)));
}
