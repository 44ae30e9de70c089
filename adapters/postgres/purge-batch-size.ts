/**
 * How many expired rows a write removes on the side. Larger than one so purging outpaces
 * inserts, small enough that the write stays cheap.
 */
export const PURGE_BATCH_SIZE = 16
