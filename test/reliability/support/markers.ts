/** Starts every stderr line in which the target server reports an unhandled rejection or exception. */
export const UNHANDLED_MARKER = "FRANK-RELIABILITY-UNHANDLED";
