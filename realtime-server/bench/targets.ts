/** Which servers a bench starts: ours, or bare Socket.IO forwarding the same envelope. */
export type Kind = 'ours' | 'bare';
/** What a load generator drives: ours, bare, or the peer (Socket.IO's own CRUD example, peer.ts). */
export type DriveTarget = Kind | 'peer';
