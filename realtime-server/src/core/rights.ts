/**
 * When a user's rights change (role, team, deactivation), every node must stop acting on the old
 * ones: drop its cached actor and close its sockets. The domain service calls `revoke` after
 * commit; each node registers what it forgets (`onRevoke`), and the Socket.IO layer carries the
 * news to the other nodes (`setFanOut`) and back in (`applyLocally`).
 */
export function createRightsHub() {
  const forgetters = new Set<(userId: number) => void>();
  let fanOut: ((userId: number) => Promise<void>) | null = null;

  function applyLocally(userId: number): void {
    for (const forget of forgetters) forget(userId);
  }

  return {
    onRevoke(forget: (userId: number) => void): () => void {
      forgetters.add(forget);
      return () => void forgetters.delete(forget);
    },
    /** How this node tells the others; answers once they have applied it (or gave up waiting). */
    setFanOut(fn: (userId: number) => Promise<void>): void {
      fanOut = fn;
    },
    applyLocally,
    /** Resolves when this node and every other node reached has forgotten the user's old rights. */
    async revoke(userId: number): Promise<void> {
      applyLocally(userId);
      await fanOut?.(userId);
    },
  };
}

export type RightsHub = ReturnType<typeof createRightsHub>;
