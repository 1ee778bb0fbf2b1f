// The board's program limits, a contract both sides read: the firmware refuses past them, the host checks recipes against them.

/** Programs the board keeps in flash. */
export const PROGRAM_SLOTS = 4;
/** Segments in one program. */
export const MAX_SEGMENTS = 64;
/** Characters in a program's name. */
export const MAX_NAME_LENGTH = 12;
/** Longest segment (7 days). */
export const MAX_SEGMENT_MS = 604800000;
/** Run time of a whole program, kept within signed 32 bits for integer runtimes (24.8 days). */
export const MAX_PROGRAM_MS = 2147483647;
/** Fastest rate a segment may ask of a pump, either direction. */
export const MAX_RATE_UL_PER_H = 20000000;
